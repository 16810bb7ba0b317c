using Evpn.Wire.Model;

namespace Evpn.Core;

/// <summary>The Loc-RIB paths of one query, handed out a slice at a time so that the speaker loop can take
/// other inputs between slices (a million routes made into one answer would hold it for seconds). The keys
/// matching the filter are copied when the scan begins; each slice looks its keys up again, so a route
/// withdrawn meanwhile is left out, one added after the start is not shown, and each path is shown as it
/// was when its slice was taken. Like every query, call <see cref="Next"/> on the speaker loop.</summary>
public sealed class RouteScan
{
    private readonly CoreQueries _queries;
    private readonly MacVrf? _vrf;
    private readonly List<EvpnRoute> _keys;
    private int _next;

    internal RouteScan(CoreQueries queries, MacVrf? vrf, List<EvpnRoute> keys)
    {
        _queries = queries;
        _vrf = vrf;
        _keys = keys;
    }

    /// <summary>Every key was handed out.</summary>
    public bool IsDone => _next >= _keys.Count;

    /// <summary>The paths of the next <paramref name="keys"/> route keys (fewer paths when some left the Loc-RIB or
    /// fail the VNI filter, more when a key has several paths).</summary>
    public IReadOnlyList<RouteView> Next(int keys)
    {
        _queries.FlushForQuery();
        var end = (int)Math.Min((long)_next + keys, _keys.Count);
        var views = new List<RouteView>(end - _next);
        for (; _next < end; _next++)
        {
            _queries.AddRouteViews(_keys[_next], _vrf, views);
        }
        return views;
    }
}
