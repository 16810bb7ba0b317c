using Evpn.Wire.Model;

namespace Evpn.Rib;

/// <summary>A Loc-RIB entry: every path for one route key (RFC 7432 section 7.2 for type 2: RD,
/// Ethernet tag, MAC, IP), the selected best path and why it won.</summary>
/// <remarks>The Loc-RIB keeps one only for a key with several paths; a key with one path is kept as that
/// <see cref="RibPath"/>, and what <see cref="Rib.Find"/> and <see cref="Rib.Destinations"/> hand out for it
/// is a view made on demand. Compare destinations by <see cref="Key"/>, not by reference.</remarks>
public sealed class Destination
{
    internal Destination(EvpnRoute key) => _paths = key;

    /// <summary>A view of a key held as its only path: <paramref name="path"/> (null once withdrawn), and the
    /// best path last published for the key.</summary>
    internal static Destination View(RibPath path, RibPath? published)
    {
        var view = new Destination(path.Route) { PublishedBest = published, Reason = BestPathReason.OnlyPath };
        if (!path.Withdrawn)
        {
            view._paths = path;
        }
        return view;
    }

    /// <summary>A route with this destination's key (a path's route, or the last one removed); only its
    /// key fields are meaningful.</summary>
    public EvpnRoute Key => _paths switch
    {
        RibPath only => only.Route,
        List<RibPath> many => many[0].Route,
        _ => (EvpnRoute)_paths,
    };

    /// <summary>The best path as of the last <see cref="Rib.ProcessChanges"/>: the one handed to the
    /// Adj-RIBs-Out and to EVPN import.</summary>
    public RibPath? Best => PublishedBest;
    public BestPathReason Reason { get; internal set; }

    internal RibPath? PublishedBest;

    /// <summary>Its place in the RIB's queue of keys to decide, or -1.</summary>
    internal int Slot = -1;

    /// <summary>The only path, or a <see cref="List{RibPath}"/> (newest first) once a second source (or path identifier) sent the
    /// route, or with no path left the route that was its key. Most destinations have one path: this
    /// spares each path a next-path link, and each destination a list and a separate key reference.</summary>
    private object _paths;

    /// <summary>The paths, newest first.</summary>
    public IEnumerable<RibPath> Paths
    {
        get
        {
            switch (_paths)
            {
                case RibPath only:
                    yield return only;
                    break;
                case List<RibPath> many:
                    foreach (var p in many)
                    {
                        yield return p;
                    }
                    break;
            }
        }
    }

    public bool IsEmpty => _paths is EvpnRoute;

    internal int PathCount => _paths switch
    {
        RibPath => 1,
        List<RibPath> many => many.Count,
        _ => 0,
    };

    /// <summary>The i-th path, newest first (0 &lt;= i &lt; <see cref="PathCount"/>).</summary>
    internal RibPath PathAt(int i) => _paths is List<RibPath> many ? many[i] : (RibPath)_paths;

    /// <summary>The path <paramref name="source"/> sent under <paramref name="pathId"/> (RFC 7911; 0 without add-path).</summary>
    internal RibPath? Find(RibPeer source, uint pathId)
    {
        if (_paths is RibPath only)
        {
            return only.IsFrom(source, pathId) ? only : null;
        }
        if (_paths is List<RibPath> many)
        {
            foreach (var p in many)
            {
                if (p.IsFrom(source, pathId))
                {
                    return p;
                }
            }
        }
        return null;
    }

    /// <summary>Adds every path of <paramref name="source"/> (one per path identifier) to <paramref name="into"/>.</summary>
    internal void CollectFrom(RibPeer source, List<RibPath> into)
    {
        if (_paths is RibPath only)
        {
            if (ReferenceEquals(only.Source, source))
            {
                into.Add(only);
            }
        }
        else if (_paths is List<RibPath> many)
        {
            foreach (var p in many)
            {
                if (ReferenceEquals(p.Source, source))
                {
                    into.Add(p);
                }
            }
        }
    }

    /// <summary>Puts <paramref name="path"/> in place of the source's previous path with its path identifier (or adds it);
    /// returns the one replaced.</summary>
    internal RibPath? Replace(RibPath path)
    {
        switch (_paths)
        {
            case EvpnRoute:
                _paths = path;
                return null;
            case RibPath only when only.IsFrom(path.Source, path.PathId):
                _paths = path;
                return only;
            case RibPath only:
                _paths = new List<RibPath>(2) { path, only };
                return null;
        }
        var many = (List<RibPath>)_paths;
        for (var i = 0; i < many.Count; i++)
        {
            if (many[i].IsFrom(path.Source, path.PathId))
            {
                var previous = many[i];
                many[i] = path;
                return previous;
            }
        }
        many.Insert(0, path);
        return null;
    }

    internal bool Remove(RibPath path)
    {
        if (ReferenceEquals(_paths, path))
        {
            _paths = path.Route;
            return true;
        }
        if (_paths is not List<RibPath> many || !many.Remove(path))
        {
            return false;
        }
        if (many.Count == 1)
        {
            _paths = many[0];
        }
        return true;
    }
}
