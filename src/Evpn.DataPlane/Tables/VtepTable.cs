using System.Runtime.InteropServices;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Tables;

/// <summary>The VTEP addresses a table of FDB entries points to, each held once with the number of entries
/// using it. A network has tens to thousands of VTEPs and hundreds of thousands of MACs behind them: an FDB
/// slot keeps a 4-octet index here instead of a 24-octet address. An address no entry uses any more is
/// dropped and its index reused, so the table follows the VTEPs in use rather than every one ever seen.</summary>
internal sealed class VtepTable
{
    private readonly Dictionary<IpAddr, int> _indices = [];
    private readonly List<IpAddr> _addresses = [];
    private readonly List<int> _uses = [];
    private readonly Stack<int> _free = [];

    public IpAddr this[int index] => _addresses[index];

    /// <summary>Whether an entry uses <paramref name="vtep"/>.</summary>
    public bool Contains(IpAddr vtep) => _indices.ContainsKey(vtep);

    /// <summary>The index of <paramref name="vtep"/>, counting one more entry that uses it.</summary>
    public int Acquire(IpAddr vtep)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_indices, vtep, out var known);
        if (!known)
        {
            if (_free.TryPop(out index))
            {
                _addresses[index] = vtep;
            }
            else
            {
                index = _addresses.Count;
                _addresses.Add(vtep);
                _uses.Add(0);
            }
        }
        _uses[index]++;
        return index;
    }

    /// <summary>One entry fewer uses the address at <paramref name="index"/>.</summary>
    public void Release(int index)
    {
        if (--_uses[index] == 0)
        {
            _indices.Remove(_addresses[index]);
            _free.Push(index);
        }
    }
}
