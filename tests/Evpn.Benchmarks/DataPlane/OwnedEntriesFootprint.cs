using System.Runtime.CompilerServices;
using Evpn.DataPlane;
using Evpn.Wire.Model;

namespace Evpn.Benchmarks.DataPlane;

/// <summary>Bytes the data plane's owned-entry table keeps per installed entry:
/// <c>dotnet run -c Release --project tests/Evpn.Benchmarks -- owned-bytes</c>. Fills a fresh table with N remote
/// MACs (over 100 VNIs toward 4 VTEPs, as the convergence benchmark's load) and, separately, N IPv4 neighbors,
/// and divides the heap the table holds after a full collection by N. The entries are made on the fly, so
/// the heap counted is the table's alone. Dictionary capacities grow by steps, so a few sizes are shown.</summary>
public static class OwnedEntriesFootprint
{
    private static readonly int[] Sizes = [50_000, 100_000, 1_000_000];

    public static void Run()
    {
        foreach (var n in Sizes)
        {
            Console.WriteLine($"{n,9:N0} entries: {PerEntry(n, FillFdb):F1} B per FDB entry, {PerEntry(n, FillNeighbors):F1} B per neighbor entry");
        }
    }

    private static double PerEntry(int n, Action<OwnedEntries, int> fill)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var owned = Filled(n, fill);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        GC.KeepAlive(owned);
        return retained / (double)n;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static OwnedEntries Filled(int n, Action<OwnedEntries, int> fill)
    {
        var owned = new OwnedEntries();
        fill(owned, n);
        return owned;
    }

    private static void FillFdb(OwnedEntries owned, int n)
    {
        for (var i = 0; i < n; i++)
        {
            owned.Set(new FdbEntry(Vni(i), new MacAddress(0x0200_0000_0000UL | (uint)i), IpAddr.FromV4(0x0A00_0002u + (uint)(i % 4))));
        }
    }

    private static void FillNeighbors(OwnedEntries owned, int n)
    {
        for (var i = 0; i < n; i++)
        {
            owned.Set(new NeighborEntry(Vni(i), IpAddr.FromV4(0x0A64_0000u | (uint)i), new MacAddress(0x0200_0000_0000UL | (uint)i)));
        }
    }

    private static uint Vni(int i) => 10_000u + (uint)(i % 100);
}
