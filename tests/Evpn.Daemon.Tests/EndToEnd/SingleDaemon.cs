using System.Globalization;
using System.Net;
using Evpn.LoadGen;
using Evpn.Wire.Model;

namespace Evpn.Testing.EndToEnd;

/// <summary>One evpnd on its own loopback address with the neighbors a test gives (YAML list entries), the
/// in-memory data plane, its socket and metrics in a temporary folder; BGP peers are evpn-loadgen sessions
/// from other loopback addresses. <see cref="RestartAsync"/> stops evpnd and starts it again with the same file.
/// Dispose stops evpnd and removes the folder.</summary>
public sealed class SingleDaemon : IAsyncDisposable
{
    public const uint Asn = 65001;

    private readonly TempFolder _folder;

    private SingleDaemon(TempFolder folder, string name, string address, EvpndProcess process)
    {
        _folder = folder;
        _name = name;
        Address = address;
        Process = process;
    }

    private readonly string _name;

    public string Address { get; }
    public EvpndProcess Process { get; private set; }
    public string SocketPath => _folder.File("evpnd.sock");
    public string MetricsUrl => $"http://{Address}:9181/metrics";

    /// <param name="router">More keys of the router section, as YAML lines indented by two spaces.</param>
    public static async Task<SingleDaemon> StartAsync(string name, string address, string neighbors, string router = "")
    {
        var folder = new TempFolder();
        File.WriteAllText(folder.File("evpnd.yaml"), $"""
            router:
              asn: {Asn}
              local-vtep: {address}
              listen-address: {address}
            {router}
            neighbors:
            {neighbors}
            evpn:
              wildcard-import: true
              vnis: [{"{"}vni: 1000{"}"}]
            data-plane:
              kind: memory
            management:
              socket: {folder.File("evpnd.sock")}
            metrics:
              address: {address}:9181
            logging:
              level: information

            """);
        var process = EvpndProcess.Start(name, "--config", folder.File("evpnd.yaml"));
        var daemon = new SingleDaemon(folder, name, address, process);
        try
        {
            await process.WaitForApiAsync(daemon.SocketPath);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops evpnd (SIGTERM, as a service manager does) and starts it again with the same file, on the same
    /// address; returns once the new one answers on its socket.</summary>
    public async Task RestartAsync()
    {
        Process.Signal(EvpndProcess.SIGTERM);
        var exitCode = await Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"evpnd {_name} exited with {exitCode} on SIGTERM\n{Process.Describe()}");
        }
        await Process.DisposeAsync();
        Process = EvpndProcess.Start(_name, "--config", _folder.File("evpnd.yaml"));
        await Process.WaitForApiAsync(SocketPath);
    }

    /// <summary>A BGP session to this evpnd from <paramref name="source"/>, AS <paramref name="asn"/>.</summary>
    public Task<BgpConnection> ConnectAsync(string source, uint asn = 65100, bool stopReading = false, int routes = 0, ushort holdTime = 90) =>
        BgpConnection.EstablishAsync(PeerOptions(asn, routes, holdTime), TimeSpan.FromSeconds(30), CancellationToken.None,
            IPAddress.Parse(source), stopReading);

    public LoadOptions PeerOptions(uint asn = 65100, int routes = 0, ushort holdTime = 90) => new()
    {
        Peer = IpAddr.Parse(Address), LocalAsn = asn, RtAsn = (ushort)Asn, Routes = routes, Vnis = 100, FirstVni = 1000,
        HoldTime = holdTime,
    };

    /// <summary>The scraped /metrics text.</summary>
    public async Task<string> MetricsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync(MetricsUrl);
    }

    /// <summary>One series' value (<c>name{labels}</c> exactly as rendered), or null when it is not there.</summary>
    public async Task<double?> SampleAsync(string series)
    {
        var line = (await MetricsAsync()).Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>Lines of evpnd's log that contain <paramref name="text"/>.</summary>
    public int LogLines(string text) => Process.Output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _folder.Dispose();
    }
}
