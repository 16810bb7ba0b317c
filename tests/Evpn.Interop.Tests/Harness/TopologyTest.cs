using Xunit.Abstractions;

namespace Evpn.Interop.Tests.Harness;

/// <summary>Base of every interop test class: each test gets its own run of the topology (fresh namespaces,
/// fresh daemons) and the run is torn down after the test, whether it passed, failed or timed out.</summary>
[Collection(LabCollection.Name)]
public abstract class TopologyTest(ITestOutputHelper output) : IAsyncLifetime
{
    private Topology? _topology;

    protected Lab Lab { get; } = new(output);

    /// <summary>The script under interop/topo/.</summary>
    protected abstract string TopologyName { get; }

    /// <summary>Options after `up RUN`, e.g. the speakers per node.</summary>
    protected abstract IReadOnlyList<string> UpArguments { get; }

    protected Topology Topo => _topology ?? throw new InvalidOperationException("the topology is not up");

    public async Task InitializeAsync() => _topology = await Topology.UpAsync(Lab, TopologyName, [.. UpArguments]);

    public async Task DisposeAsync()
    {
        if (_topology is not null)
        {
            await _topology.DisposeAsync();
        }
    }
}
