using System.Runtime.CompilerServices;

namespace Evpn.Rib;

/// <summary>Compares the keys <see cref="GroupTable"/> groups a packing's routes by (an attribute set or a peer, and a
/// peer) by reference: interned attribute sets and peers are the same objects when they are equal, and the tuple's
/// default comparer looks up each element's comparer again for every route packed.</summary>
internal sealed class SegmentKeyComparer<TFirst> : IEqualityComparer<(TFirst First, RibPeer? Second)>
    where TFirst : class?
{
    public static readonly SegmentKeyComparer<TFirst> Instance = new();

    public bool Equals((TFirst First, RibPeer? Second) x, (TFirst First, RibPeer? Second) y) =>
        ReferenceEquals(x.First, y.First) && ReferenceEquals(x.Second, y.Second);

    public int GetHashCode((TFirst First, RibPeer? Second) key) =>
        HashCode.Combine(RuntimeHelpers.GetHashCode(key.First), RuntimeHelpers.GetHashCode(key.Second));
}
