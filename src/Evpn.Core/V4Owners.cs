using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>IPv4 address to owner MAC: open addressing with linear probing in one array of 12-octet slots
/// (a <see cref="Dictionary{TKey,TValue}"/> of the same pairs costs 28 octets an entry, and its growth
/// leaves more garbage). At most three quarters full; a removal shifts the following slots back
/// instead of leaving a tombstone, so lookups never slow down with churn.</summary>
internal sealed class V4Owners
{
    private const int InitialCapacity = 8;

    private Slot[] _slots = [];
    private int _shift = 32;

    public int Count { get; private set; }

    public bool TryGet(uint ip, out MacAddress mac)
    {
        var index = Find(ip);
        if (index < 0)
        {
            mac = default;
            return false;
        }
        mac = _slots[index].Mac;
        return true;
    }

    public void Set(uint ip, MacAddress mac)
    {
        if (Count >= _slots.Length - (_slots.Length >> 2))
        {
            Grow();
        }
        var mask = _slots.Length - 1;
        for (var i = Home(ip); ; i = (i + 1) & mask)
        {
            ref var slot = ref _slots[i];
            if (!slot.Used)
            {
                slot = new Slot(ip, mac);
                Count++;
                return;
            }
            if (slot.Ip == ip)
            {
                slot = new Slot(ip, mac);
                return;
            }
        }
    }

    public bool Remove(uint ip)
    {
        var hole = Find(ip);
        if (hole < 0)
        {
            return false;
        }
        // Backward-shift deletion: move up each following slot of the run that may sit in the hole,
        // i.e. whose home is not in (hole, next] cyclically.
        var mask = _slots.Length - 1;
        for (var next = (hole + 1) & mask; _slots[next].Used; next = (next + 1) & mask)
        {
            var home = Home(_slots[next].Ip);
            var staysPut = hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (!staysPut)
            {
                _slots[hole] = _slots[next];
                hole = next;
            }
        }
        _slots[hole] = default;
        Count--;
        return true;
    }

    private int Find(uint ip)
    {
        if (Count == 0)
        {
            return -1;
        }
        var mask = _slots.Length - 1;
        for (var i = Home(ip); _slots[i].Used; i = (i + 1) & mask)
        {
            if (_slots[i].Ip == ip)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Fibonacci hashing: the top bits of the product, so that consecutive addresses spread.</summary>
    private int Home(uint ip) => _shift == 32 ? 0 : (int)((ip * 0x9E3779B9u) >> _shift);

    private void Grow()
    {
        var old = _slots;
        var capacity = old.Length == 0 ? InitialCapacity : old.Length * 2;
        _slots = new Slot[capacity];
        _shift = 32 - System.Numerics.BitOperations.Log2((uint)capacity);
        Count = 0;
        foreach (var slot in old)
        {
            if (slot.Used)
            {
                Set(slot.Ip, slot.Mac);
            }
        }
    }

    /// <summary>The MAC split into 32 + 16 bits keeps the slot at 12 octets (a ulong field would align it to 24).</summary>
    private readonly struct Slot(uint ip, MacAddress mac)
    {
        public readonly uint Ip = ip;
        private readonly uint _macLow = (uint)mac.Value;
        private readonly ushort _macHigh = (ushort)(mac.Value >> 32);
        public readonly bool Used = true;

        public MacAddress Mac => new(((ulong)_macHigh << 32) | _macLow);
    }
}
