using Evpn.Wire.Model;

namespace Evpn.LoadGen;

/// <summary>The routes of a run, derived from <see cref="LoadOptions"/> alone: the hosts as first announced,
/// the hosts after the move, and which of them moved. Route i is in VNI FirstVni + i mod V, so every VNI
/// gets the same share; its VTEP, whether it has an IP, and whether it moves come from the seeded random
/// sequence.</summary>
public sealed class LoadPlan
{
    private LoadPlan(LoadOptions options, GeneratedRoute[] initial, GeneratedRoute[] moved, int[] movedIndexes)
    {
        Options = options;
        Initial = initial;
        AfterMove = moved;
        MovedIndexes = movedIndexes;
    }

    public LoadOptions Options { get; }

    /// <summary>The N type-2 hosts as the announce command sends them.</summary>
    public IReadOnlyList<GeneratedRoute> Initial { get; }

    /// <summary>The same N hosts after the move command: the moved ones behind the move VTEP with sequence 1.</summary>
    public IReadOnlyList<GeneratedRoute> AfterMove { get; }

    /// <summary>Indexes (into <see cref="Initial"/>) of the hosts the move command moves, ascending.</summary>
    public IReadOnlyList<int> MovedIndexes { get; }

    public static LoadPlan Build(LoadOptions options)
    {
        var random = new Random(options.Seed);
        var n = options.Routes;
        var initial = new GeneratedRoute[n];
        // MACs are locally administered (02:...) and unique per seed: 02:SS:ii:ii:ii:ii with the 32-bit index.
        var macBase = 0x02_00_0000_0000UL | ((ulong)(byte)options.Seed << 32);
        for (var i = 0; i < n; i++)
        {
            var vni = options.FirstVni + (uint)(i % options.Vnis);
            var vtep = random.Next(options.Vteps);
            IpAddr? ip = random.NextDouble() < options.MacIpFraction
                ? IpAddr.FromV4(0x0A00_0000u | (uint)(i & 0xFF_FFFF))
                : null;
            initial[i] = new GeneratedRoute(new MacAddress(macBase | (uint)i), ip, vni, vtep, 0);
        }
        // The moved hosts: the first M of a seeded shuffle of all indexes.
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        var movedIndexes = order.AsSpan(0, Math.Min(options.MovedCount, n)).ToArray();
        Array.Sort(movedIndexes);
        var after = (GeneratedRoute[])initial.Clone();
        foreach (var i in movedIndexes)
        {
            after[i] = initial[i] with { VtepIndex = options.Vteps, Sequence = initial[i].Sequence + 1 };
        }
        return new LoadPlan(options, initial, after, movedIndexes);
    }
}
