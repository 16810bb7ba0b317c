namespace Evpn.Testing.EndToEnd;

/// <summary>Tests that start evpnd processes run one at a time: on two shared cores, several daemons
/// starting together make every deadline a gamble.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EvpndCollection
{
    public const string Name = "evpnd processes";
}
