using System.Diagnostics.CodeAnalysis;
using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>The MAC entries of one MAC-VRF, found by MAC. A set keyed by each member's own MAC rather than
/// a MAC-to-entry map: one reference less per MAC, which is one per remote route in a large fabric.</summary>
/// <remarks>
///   A member is a <see cref="MacEntry"/>, or, for the common MAC known from exactly one remote best path
///   and installed from it (no local state, no move history, the VNI present), that <see cref="RibPath"/>
///   alone: a million remote MACs then cost no entry object each. Code that changes an entry asks for it
///   with <see cref="TryGetValue"/> or <see cref="GetOrAdd"/>, which turn a bare path into a stored
///   <see cref="MacEntry"/> (<see cref="MacEntry.InstalledFrom"/>); <see cref="Settle"/> turns it back.
/// </remarks>
internal sealed class MacTable
{
    private readonly HashSet<object> _members = new(MacComparer.Instance);
    private readonly HashSet<object>.AlternateLookup<MacAddress> _byMac;

    public MacTable() => _byMac = _members.GetAlternateLookup<MacAddress>();

    /// <summary>The stored member for <paramref name="mac"/>: a <see cref="MacEntry"/>, a bare installed
    /// <see cref="RibPath"/>, or null.</summary>
    public object? Find(MacAddress mac) => _byMac.TryGetValue(mac, out var member) ? member : null;

    /// <summary>Stores <paramref name="path"/> as the whole state of its MAC, unless the MAC has an entry
    /// already (false). Only in a VNI present in the data plane.</summary>
    public bool TryAddInstalled(RibPath path) => _members.Add(path);

    /// <summary>Stores <paramref name="path"/> in place of the bare path of the same MAC.</summary>
    public void ReplaceInstalled(RibPath path)
    {
        _members.Remove(path);
        _members.Add(path);
    }

    public void Remove(MacAddress mac) => _byMac.Remove(mac);

    /// <summary>The entry for <paramref name="mac"/>, stored as a <see cref="MacEntry"/> from now on.</summary>
    public bool TryGetValue(MacAddress mac, [MaybeNullWhen(false)] out MacEntry entry)
    {
        if (!_byMac.TryGetValue(mac, out var member))
        {
            entry = null;
            return false;
        }
        entry = member as MacEntry ?? Expand((RibPath)member);
        return true;
    }

    public MacEntry GetOrAdd(MacAddress mac)
    {
        if (!TryGetValue(mac, out var entry))
        {
            entry = new MacEntry(mac);
            _members.Add(entry);
        }
        return entry;
    }

    /// <summary>After a change: an unused entry is dropped, one that is only its installed remote path
    /// is stored as that path.</summary>
    public void Settle(MacEntry entry, bool present)
    {
        if (entry.IsUnused)
        {
            _members.Remove(entry);
        }
        else if (present && entry.OnlyInstalledPath is { } path)
        {
            _members.Remove(entry);
            _members.Add(path);
        }
    }

    /// <summary>Every entry, each stored as a <see cref="MacEntry"/> from now on (for changes to them all).</summary>
    public List<MacEntry> ExpandAll()
    {
        var entries = new List<MacEntry>(_members.Count);
        foreach (var member in _members.ToList())
        {
            entries.Add(member as MacEntry ?? Expand((RibPath)member));
        }
        return entries;
    }

    /// <summary>The stored <see cref="MacEntry"/> objects only: the MACs with local state or history (a
    /// bare path has neither).</summary>
    public List<MacEntry> Entries()
    {
        var entries = new List<MacEntry>();
        foreach (var member in _members)
        {
            if (member is MacEntry entry)
            {
                entries.Add(entry);
            }
        }
        return entries;
    }

    /// <summary>Read-only views of every entry (a bare path is shown through a transient entry, not stored).</summary>
    public IEnumerable<MacEntry> Views()
    {
        foreach (var member in _members)
        {
            yield return member as MacEntry ?? MacEntry.InstalledFrom((RibPath)member);
        }
    }

    /// <summary>Every MAC of the table, in no order: one copy of the keys.</summary>
    public MacAddress[] Addresses()
    {
        var addresses = new MacAddress[_members.Count];
        var i = 0;
        foreach (var member in _members)
        {
            addresses[i++] = MacOf(member);
        }
        return addresses;
    }

    /// <summary>A read-only view of one entry, or null.</summary>
    public MacEntry? View(MacAddress mac) => Find(mac) switch
    {
        MacEntry entry => entry,
        RibPath path => MacEntry.InstalledFrom(path),
        _ => null,
    };

    /// <summary>MACs served from this VTEP, and MACs with a remote route.</summary>
    public (int Local, int Remote) CountLocation()
    {
        var local = 0;
        var remote = 0;
        foreach (var member in _members)
        {
            if (member is MacEntry entry)
            {
                local += entry.Local is { Active: true } ? 1 : 0;
                remote += entry.HasRemote ? 1 : 0;
            }
            else
            {
                remote++;
            }
        }
        return (local, remote);
    }

    private MacEntry Expand(RibPath path)
    {
        var entry = MacEntry.InstalledFrom(path);
        _members.Remove(path);
        _members.Add(entry);
        return entry;
    }

    private static MacAddress MacOf(object member) =>
        member is MacEntry entry ? entry.Mac : ((MacIpAdvertisementRoute)((RibPath)member).Route).Mac;

    private sealed class MacComparer : IEqualityComparer<object>, IAlternateEqualityComparer<MacAddress, object>
    {
        public static readonly MacComparer Instance = new();

        public new bool Equals(object? x, object? y) => ReferenceEquals(x, y) || (x is not null && y is not null && MacOf(x) == MacOf(y));
        public int GetHashCode(object member) => MacOf(member).GetHashCode();
        public bool Equals(MacAddress mac, object member) => mac == MacOf(member);
        public int GetHashCode(MacAddress mac) => mac.GetHashCode();
        public object Create(MacAddress mac) => new MacEntry(mac);
    }
}
