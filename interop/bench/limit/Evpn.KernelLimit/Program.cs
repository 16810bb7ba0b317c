using System.Globalization;
using System.Threading.Channels;
using Evpn.DataPlane;
using Evpn.DataPlane.Linux;
using Evpn.DataPlane.Linux.Kernel;
using Evpn.DataPlane.Linux.Netlink;
using Evpn.KernelLimit;
using Evpn.LoadGen;
using Microsoft.Extensions.Logging.Abstractions;

// evpn-kernel-limit: the physical limit of the convergence benchmark (interop/bench/convergence.sh). It
// programs the kernel entries evpnd would program for a load plan (the load generator's options, the same
// seed giving the same hosts) straight through evpnd's netlink executor, in batches of the intent writer's
// size, beside evpnd's own netlink listener: no BGP, no RIB, no EVPN core, so what it takes is the kernel's
// share. Commands on stdin, as evpn-loadgen takes them, one answer line each on stdout:
//   announce | move | withdraw   event=PHASE first_update_ns=UNIX_NS send_ms=MS intents=N failed=F
//   quit
// First line once the namespace's links are read: event=established.
if (args.Contains("--help"))
{
    Console.Out.WriteLine("evpn-kernel-limit [evpn-loadgen's load options: --routes --vnis --first-vni --vteps --first-vtep --mac-ip-fraction --no-type3 --move-fraction --seed]");
    return 0;
}
var options = LoadOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine($"evpn-kernel-limit: {error}");
    return 2;
}
var phases = new LimitPhases(LoadPlan.Build(options));
var dataPlane = new LinuxDataPlaneOptions();
VniTopology topology = VniTopology.Empty;
using var metrics = new DataPlaneMetrics();
var events = Channel.CreateUnbounded<DataPlaneEvent>(new UnboundedChannelOptions { SingleReader = true });
var socket = NetlinkSocket.Open(null, 0, dataPlane.SocketBufferBytes);
socket.ReceiveTimeout = dataPlane.KernelReplyTimeout;
using var watcher = new KernelWatcher(dataPlane, events.Writer, metrics, NullLogger.Instance, t => Volatile.Write(ref topology, t), socket.PortId);
watcher.Synchronize();
using var executor = new NetlinkIntentExecutor(socket, () => Volatile.Read(ref topology), dataPlane.MaxMessagesPerSend, dataPlane.FdbNexthops, watcher.Installing);
executor.ReadLeftovers(Volatile.Read(ref topology));

// One entry of each kind written and removed before the first timed phase: the JIT compiles the path then,
// not in the measurement (evpnd's native binary has nothing to compile).
LimitWriter.Apply(executor, phases.WarmUp());

using var stop = new CancellationTokenSource();
var listener = new Thread(() => watcher.Run(stop.Token)) { IsBackground = true, Name = "netlink listener" };
listener.Start();
var drain = Task.Run(async () =>
{
    await foreach (var _ in events.Reader.ReadAllAsync())
    {
    }
});

Console.Out.WriteLine($"event=established vnis={Volatile.Read(ref topology).ByVni.Count}");
Console.Out.Flush();
while (Console.In.ReadLine() is { } line)
{
    var command = line.Trim();
    List<DataPlaneIntent>? intents = command switch
    {
        "announce" => phases.Announce(),
        "move" => phases.Move(),
        "withdraw" => phases.WithdrawAll(),
        _ => null,
    };
    if (command == "quit")
    {
        break;
    }
    if (intents is null)
    {
        Console.Out.WriteLine($"event=error reason=\"unknown command '{command}'\"");
        Console.Out.Flush();
        continue;
    }
    var (firstNs, sendMs, failed) = LimitWriter.Apply(executor, intents);
    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"event={command} first_update_ns={firstNs} send_ms={sendMs:F1} intents={intents.Count} failed={failed}"));
    Console.Out.Flush();
}
stop.Cancel();
listener.Join();
events.Writer.Complete();
await drain;
return 0;
