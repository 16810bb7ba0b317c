using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>The MAC entries of one MAC-VRF, found by MAC. A set of entries keyed by their own
/// <see cref="MacEntry.Mac"/> rather than a MAC-to-entry map: one reference less per MAC, which is one
/// per remote route in a large fabric.</summary>
internal sealed class MacTable
{
    private readonly HashSet<MacEntry> _entries = new(MacComparer.Instance);
    private readonly HashSet<MacEntry>.AlternateLookup<MacAddress> _byMac;

    public MacTable() => _byMac = _entries.GetAlternateLookup<MacAddress>();

    public int Count => _entries.Count;

    public IReadOnlyCollection<MacEntry> Values => _entries;

    public bool TryGetValue(MacAddress mac, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out MacEntry entry) =>
        _byMac.TryGetValue(mac, out entry);

    public MacEntry GetOrAdd(MacAddress mac)
    {
        if (!_byMac.TryGetValue(mac, out var entry))
        {
            entry = new MacEntry(mac);
            _entries.Add(entry);
        }
        return entry;
    }

    public void Remove(MacEntry entry) => _entries.Remove(entry);

    private sealed class MacComparer : IEqualityComparer<MacEntry>, IAlternateEqualityComparer<MacAddress, MacEntry>
    {
        public static readonly MacComparer Instance = new();

        public bool Equals(MacEntry? x, MacEntry? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.Mac == y.Mac);
        public int GetHashCode(MacEntry entry) => entry.Mac.GetHashCode();
        public bool Equals(MacAddress mac, MacEntry entry) => mac == entry.Mac;
        public int GetHashCode(MacAddress mac) => mac.GetHashCode();
        public MacEntry Create(MacAddress mac) => new(mac);
    }
}
