using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>Collects decoded NLRI in a pooled buffer and hands them out as one exact-size array, so a
/// message costs one array however many NLRI it holds.</summary>
internal struct NlriListBuilder
{
    private Nlri[]? _items;
    private int _count;

    public readonly int Count => _count;

    public void Add(in Nlri nlri)
    {
        if (_items is null)
        {
            _items = ArrayPool<Nlri>.Shared.Rent(64);
        }
        else if (_count == _items.Length)
        {
            var bigger = ArrayPool<Nlri>.Shared.Rent(_items.Length * 2);
            _items.AsSpan(0, _count).CopyTo(bigger);
            ArrayPool<Nlri>.Shared.Return(_items, clearArray: true);
            _items = bigger;
        }
        _items[_count++] = nlri;
    }

    /// <summary>The collected NLRI; the builder is empty and its buffer returned afterwards.</summary>
    public EquatableArray<Nlri> ToArrayAndReset()
    {
        if (_items is null || _count == 0)
        {
            Reset();
            return EquatableArray<Nlri>.Empty;
        }
        var result = _items.AsSpan(0, _count).ToArray();
        Reset();
        return new EquatableArray<Nlri>(ImmutableCollectionsMarshal.AsImmutableArray(result));
    }

    public void Reset()
    {
        if (_items is not null)
        {
            ArrayPool<Nlri>.Shared.Return(_items, clearArray: true);
        }
        _items = null;
        _count = 0;
    }
}
