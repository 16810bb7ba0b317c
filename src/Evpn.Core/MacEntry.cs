using Evpn.Rib;
using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>A locally learned MAC (bridge FDB on a local port) and its local IPs (ARP/ND on the SVI).</summary>
internal sealed class LocalMac
{
    public bool Sticky;
    public string Port = "";

    /// <summary>False once a remote location beat this one (the MAC moved away); a new local learn
    /// re-activates it with a higher sequence number.</summary>
    public bool Active = true;

    /// <summary>RFC 7432 section 7.7 sequence number this VTEP advertises for the MAC.</summary>
    public uint Sequence;
    public readonly HashSet<IpAddr> Ips = new();

    /// <summary>The routes currently originated for this MAC and their attributes.</summary>
    public readonly List<MacIpAdvertisementRoute> Advertised = new();
    public PathAttributes? AdvertisedAttributes;
}

/// <summary>RFC 7432 section 15.1 move history and duplicate state; allocated at the first move.</summary>
internal sealed class MobilityHistory
{
    public readonly Queue<DateTimeOffset> Moves = new();
    public int TotalMoves;
    public bool Duplicate;

    /// <summary>Duplicate and frozen: not advertised, the data plane kept as it was (freeze configured).</summary>
    public bool Frozen;
    public DateTimeOffset DuplicateSince;

    /// <summary>The neighbor IPs installed when the MAC was frozen ("keep the last good entry").</summary>
    public IpAddr[] FrozenNeighborIps = [];
}

/// <summary>One MAC in one MAC-VRF: its local state, the remote type-2 best paths imported for it
/// (MAC and MAC+IP routes, possibly from several VTEPs during a move), and what is installed.</summary>
internal sealed class MacEntry
{
    public MacEntry(MacAddress mac) => Mac = mac;

    /// <summary>The entry of a MAC known only from <paramref name="path"/>, installed from it.</summary>
    public static MacEntry InstalledFrom(RibPath path) =>
        new(((MacIpAdvertisementRoute)path.Route).Mac) { InstalledVia = path, _remote = path };

    public MacAddress Mac { get; }

    /// <summary>The remote path the FDB entry was installed from (its VTEP and sticky flag), or null.</summary>
    public RibPath? InstalledVia;

    private RibPath? _remote;

    /// <summary>What most MACs (remote, one route) never need, kept apart so each entry stays small.</summary>
    private Extras? _extras;

    public LocalMac? Local
    {
        get => _extras?.Local;
        set
        {
            if (value is not null || _extras is not null)
            {
                Extra().Local = value;
            }
        }
    }

    public MobilityHistory? History
    {
        get => _extras?.History;
        set
        {
            if (value is not null || _extras is not null)
            {
                Extra().History = value;
            }
        }
    }

    private List<RibPath>? MoreRemote
    {
        get => _extras?.MoreRemote;
        set => Extra().MoreRemote = value;
    }

    private Extras Extra() => _extras ??= new Extras();

    public bool IsDuplicate => History is { Duplicate: true };

    public bool IsFrozen => History is { Frozen: true };

    public bool IsUnused => Local is null && _remote is null && InstalledVia is null && !IsDuplicate;

    public bool HasRemote => _remote is not null;

    /// <summary>The remote path when it is all there is to this entry and it is installed (no local state,
    /// no other path, no move history): the entry can then be stored as that path alone.</summary>
    public RibPath? OnlyInstalledPath =>
        _extras is null or { Local: null, History: null, MoreRemote: null or { Count: 0 } } && ReferenceEquals(InstalledVia, _remote) ? _remote : null;

    /// <summary>Imports a best path, replacing the one from the same destination (idempotent).</summary>
    public void PutRemote(RibPath path)
    {
        if (_remote is null || SameKey(_remote, path.Route))
        {
            _remote = path;
            return;
        }
        MoreRemote ??= new List<RibPath>(1);
        for (var i = 0; i < MoreRemote.Count; i++)
        {
            if (SameKey(MoreRemote[i], path.Route))
            {
                MoreRemote[i] = path;
                return;
            }
        }
        MoreRemote.Add(path);
    }

    /// <summary>Drops the best path imported for the destination with route key <paramref name="key"/>.</summary>
    public void RemoveRemote(EvpnRoute key)
    {
        if (_remote is not null && SameKey(_remote, key))
        {
            if (MoreRemote is { Count: > 0 })
            {
                _remote = MoreRemote[^1];
                MoreRemote.RemoveAt(MoreRemote.Count - 1);
            }
            else
            {
                _remote = null;
            }
            return;
        }
        MoreRemote?.RemoveAll(p => SameKey(p, key));
    }

    private static bool SameKey(RibPath path, EvpnRoute key) => RouteKeyComparer.Instance.Equals(path.Route, key);

    public RemoteEnumerator Remote => new(_remote, MoreRemote);

    /// <summary>The winning location, or null when the MAC is nowhere.</summary>
    public MobilityCandidate? Winner(IpAddr localVtep)
    {
        MobilityCandidate? best = Local is { Active: true } local
            ? new MobilityCandidate(localVtep, local.Sequence, local.Sticky, null)
            : null;
        foreach (var path in Remote)
        {
            var candidate = MobilityCandidate.Remote(path);
            if (best is null || MacMobility.Compare(candidate, best.Value, out _) < 0)
            {
                best = candidate;
            }
        }
        return best;
    }

    /// <summary>The highest sequence number and stickiness among remote routes (RFC 7432 section 15.1).</summary>
    public (uint Sequence, bool Sticky, bool Any) RemoteHighest()
    {
        uint sequence = 0;
        var sticky = false;
        var any = false;
        foreach (var path in Remote)
        {
            any = true;
            sequence = Math.Max(sequence, path.Attributes.MobilitySequence);
            sticky |= path.Attributes.IsSticky;
        }
        return (sequence, sticky, any);
    }

    private sealed class Extras
    {
        public LocalMac? Local;
        public MobilityHistory? History;
        public List<RibPath>? MoreRemote;
    }

    public struct RemoteEnumerator
    {
        private readonly RibPath? _first;
        private readonly List<RibPath>? _more;
        private int _index;

        public RemoteEnumerator(RibPath? first, List<RibPath>? more)
        {
            _first = first;
            _more = more;
            _index = -1;
            Current = null!;
        }

        public RibPath Current { get; private set; }

        public RemoteEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            _index++;
            if (_index == 0)
            {
                if (_first is null)
                {
                    return false;
                }
                Current = _first;
                return true;
            }
            if (_more is not null && _index - 1 < _more.Count)
            {
                Current = _more[_index - 1];
                return true;
            }
            return false;
        }
    }
}
