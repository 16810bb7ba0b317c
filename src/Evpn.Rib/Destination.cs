using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>A Loc-RIB entry: every path for one route key (RFC 7432 section 7.2 for type 2: RD,
/// Ethernet tag, MAC, IP), the selected best path and why it won.</summary>
public sealed class Destination
{
    internal Destination(EvpnRoute key) => Key = key;

    /// <summary>The first route seen for this key; only its key fields are meaningful.</summary>
    public EvpnRoute Key { get; }

    /// <summary>The best path as of the last <see cref="Rib.ProcessChanges"/>: the one handed to the
    /// Adj-RIBs-Out and to EVPN import.</summary>
    public RibPath? Best => PublishedBest;
    public BestPathReason Reason { get; internal set; }

    internal RibPath? PublishedBest;
    internal bool IsQueued;
    internal RibPath? FirstPath;

    public IEnumerable<RibPath> Paths
    {
        get
        {
            for (var p = FirstPath; p is not null; p = p.NextInDestination)
            {
                yield return p;
            }
        }
    }

    public bool IsEmpty => FirstPath is null;

    internal RibPath? Find(RibPeer source)
    {
        for (var p = FirstPath; p is not null; p = p.NextInDestination)
        {
            if (ReferenceEquals(p.Source, source))
            {
                return p;
            }
        }
        return null;
    }

    /// <summary>Puts <paramref name="path"/> in place of the source's previous path (or adds it); returns the one replaced.</summary>
    internal RibPath? Replace(RibPath path)
    {
        RibPath? previous = null;
        for (var p = FirstPath; p is not null; previous = p, p = p.NextInDestination)
        {
            if (ReferenceEquals(p.Source, path.Source))
            {
                path.NextInDestination = p.NextInDestination;
                if (previous is null)
                {
                    FirstPath = path;
                }
                else
                {
                    previous.NextInDestination = path;
                }
                p.NextInDestination = null;
                return p;
            }
        }
        path.NextInDestination = FirstPath;
        FirstPath = path;
        return null;
    }

    internal bool Remove(RibPath path)
    {
        RibPath? previous = null;
        for (var p = FirstPath; p is not null; previous = p, p = p.NextInDestination)
        {
            if (ReferenceEquals(p, path))
            {
                if (previous is null)
                {
                    FirstPath = p.NextInDestination;
                }
                else
                {
                    previous.NextInDestination = p.NextInDestination;
                }
                p.NextInDestination = null;
                return true;
            }
        }
        return false;
    }
}
