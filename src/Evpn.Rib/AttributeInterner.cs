using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>Interns <see cref="AttributeSet"/>s by value (attributes + next hop) and source with reference
/// counts, so that identical sets exist once and a set no route uses any more is dropped.</summary>
public sealed class AttributeInterner
{
    private readonly Dictionary<(PathAttributes, IpAddr, RibPeer?), AttributeSet> _sets = new();

    public int Count => _sets.Count;

    /// <summary>Returns the shared set for these values with one more reference taken; <paramref name="source"/>
    /// is the peer (or the local source) of the paths that use it, null for a set made for export.</summary>
    public AttributeSet Acquire(PathAttributes attributes, IpAddr nextHop, RibPeer? source = null)
    {
        if (!_sets.TryGetValue((attributes, nextHop, source), out var set))
        {
            set = new AttributeSet(attributes, nextHop, source);
            _sets.Add((attributes, nextHop, source), set);
        }
        set.References++;
        return set;
    }

    /// <summary>Takes one more reference on a set already interned here.</summary>
    public AttributeSet AddReference(AttributeSet set)
    {
        set.References++;
        return set;
    }

    public void Release(AttributeSet set)
    {
        if (--set.References > 0)
        {
            return;
        }
        _sets.Remove((set.Attributes, set.NextHop, set.Source));
        if (set.ExportVariants is { } variants)
        {
            set.ExportVariants = null;
            foreach (var (_, variant) in variants)
            {
                Release(variant);
            }
        }
    }
}
