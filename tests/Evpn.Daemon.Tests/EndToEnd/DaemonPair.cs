using Evpn.Api;

namespace Evpn.Testing.EndToEnd;

/// <summary>Two evpnd processes peering eBGP over loopback (AS 65001 and 65002, VNIs 100 and 200 each), with
/// the in-memory data plane. Dispose kills both and removes the folder.</summary>
public sealed class DaemonPair : IAsyncDisposable
{
    private readonly TempFolder _folder = new();

    private DaemonPair(IReadOnlyList<uint> vnisA, IReadOnlyList<uint> vnisB, string onStopA, bool mrtDumpA, int? maxPrefixA)
    {
        var a = LoopbackAddresses.Next();
        var b = LoopbackAddresses.Next();
        A = new DaemonConfig("a", 65001, a, 65002, b, vnisA, _folder.File("a.sock"), OnStop: onStopA,
            MrtDump: mrtDumpA ? _folder.File("a.mrt") : null, MaxPrefix: maxPrefixA);
        B = new DaemonConfig("b", 65002, b, 65001, a, vnisB, _folder.File("b.sock"));
    }

    public DaemonConfig A { get; private set; }

    public DaemonConfig B { get; private set; }

    public EvpndProcess? ProcessA { get; private set; }

    public EvpndProcess? ProcessB { get; private set; }

    public string Folder => _folder.Path;

    public string ConfigPath(DaemonConfig config) => _folder.File($"{config.Name}.yaml");

    /// <summary>Starts both (VNIs 100 and 200 unless told otherwise; <paramref name="onStopA"/> is A's
    /// router.graceful-restart.on-stop; <paramref name="maxPrefixA"/> A's max-prefix limit toward B) and waits until each has the other's type-3 routes for every VNI.</summary>
    /// <param name="environmentA">Variables added to A's environment (systemd's notify socket, a startup hook).</param>
    public static async Task<DaemonPair> StartAsync(IReadOnlyList<uint>? vnisA = null, IReadOnlyList<uint>? vnisB = null, string onStopA = "notify",
        bool mrtDumpA = false, int? maxPrefixA = null, IReadOnlyDictionary<string, string>? environmentA = null)
    {
        var pair = new DaemonPair(vnisA ?? [100, 200], vnisB ?? [100, 200], onStopA, mrtDumpA, maxPrefixA);
        try
        {
            File.WriteAllText(pair.ConfigPath(pair.A), pair.A.ToYaml());
            File.WriteAllText(pair.ConfigPath(pair.B), pair.B.ToYaml());
            pair.ProcessA = EvpndProcess.Start("a", environmentA ?? new Dictionary<string, string>(), "--config", pair.ConfigPath(pair.A));
            pair.ProcessB = EvpndProcess.Start("b", "--config", pair.ConfigPath(pair.B));
            await pair.ProcessA.WaitForApiAsync(pair.A.SocketPath);
            await pair.ProcessB.WaitForApiAsync(pair.B.SocketPath);
            await pair.WaitForType3Async(pair.A, from: pair.B, pair.B.Vnis);
            await pair.WaitForType3Async(pair.B, from: pair.A, pair.A.Vnis);
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>Rewrites a daemon's file (the next reload reads it).</summary>
    public DaemonConfig Rewrite(DaemonConfig config)
    {
        File.WriteAllText(ConfigPath(config), config.ToYaml());
        if (config.Name == A.Name)
        {
            A = config;
        }
        else
        {
            B = config;
        }
        return config;
    }

    public ManagementClient Client(DaemonConfig config) => new(config.SocketPath, TimeSpan.FromSeconds(10));

    public async Task<IReadOnlyList<RouteEntry>> RoutesAsync(DaemonConfig at)
    {
        using var client = Client(at);
        return await client.GetAsync<IReadOnlyList<RouteEntry>>(ApiPaths.Routes);
    }

    public async Task<NeighborDetail> NeighborAsync(DaemonConfig at, string address)
    {
        using var client = Client(at);
        return await client.GetAsync<NeighborDetail>(ApiPaths.Neighbor(address));
    }

    /// <summary>Waits until <paramref name="at"/> holds a type-3 route of <paramref name="from"/> for each of <paramref name="vnis"/>.</summary>
    public Task WaitForType3Async(DaemonConfig at, DaemonConfig from, IEnumerable<uint> vnis) => Eventually.UntilAsync(async () =>
    {
        var routes = await RoutesAsync(at);
        return vnis.All(v => routes.Any(r => r.Type == 3 && r.Vni == v && r.Source == from.Address && r.NextHop == from.Address));
    }, $"{at.Name} ({at.Address}) to hold the type-3 routes of {from.Name} ({from.Address}) for VNIs {string.Join(",", vnis)}", Describe);

    public string Describe() => $"{ProcessA?.Describe()}\n{ProcessB?.Describe()}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (ProcessA is not null)
            {
                await ProcessA.DisposeAsync();
            }
        }
        finally
        {
            try
            {
                if (ProcessB is not null)
                {
                    await ProcessB.DisposeAsync();
                }
            }
            finally
            {
                _folder.Dispose();
            }
        }
    }
}
