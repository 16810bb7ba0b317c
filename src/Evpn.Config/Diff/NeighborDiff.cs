using System.Collections.Immutable;
using Evpn.Config.Options;

namespace Evpn.Config.Diff;

/// <summary>Pairs neighbors of two files by address or listen range and classifies each change.</summary>
internal static class NeighborDiff
{
    /// <summary>A neighbor key, whether a change of it needs a new session, and how to read it.</summary>
    private sealed record Field(string Key, bool Resets, Func<NeighborOptions, object?> Value);

    /// <remarks>Why each one resets or not:
    /// remote-as, families, graceful-restart, add-path, hold-time and delay-open are in or around the OPEN (RFC 4271
    /// section 4.2, RFC 4760, RFC 4724, RFC 7911); password, ttl-security, multihop and source-address are properties of
    /// the TCP connection (TCP-MD5 key, IP_MINTTL, IP_TTL, bind). Keepalive resets too: the negotiated
    /// keepalive is derived from the hold time at OPEN, and the send hold time is fixed in the session's timers
    /// for its life. enforce-first-as and path-attribute are read by the connection's decoder, set when it
    /// starts: a new session applies them to every route again. Description, max-prefix, connect-retry and
    /// passive only matter from now on; route-reflector-client changes what we send, not the session. A listen
    /// range's changes (listen-limit too) are refused whole by the reloader.</remarks>
    private static readonly Field[] Fields =
    [
        new("remote-as", true, n => n.RemoteAs),
        new("password", true, n => n.Password),
        new("ttl-security", true, n => n.TtlSecurityHops),
        new("multihop", true, n => n.MultihopTtl),
        new("source-address", true, n => n.SourceAddress),
        new("timers.hold-time", true, n => n.Timers.HoldTime),
        new("timers.keepalive", true, n => n.Timers.Keepalive),
        new("timers.delay-open", true, n => n.Timers.DelayOpen),
        new("timers.send-hold-time", true, n => n.Timers.SendHoldTime),
        new("families", true, n => n.Families),
        new("graceful-restart", true, n => n.GracefulRestart),
        new("enforce-first-as", true, n => n.EnforceFirstAs),
        new("path-attribute", true, n => n.PathAttributes),
        new("add-path", true, n => n.AddPathReceive),
        new("timers.connect-retry", false, n => n.Timers.ConnectRetry),
        new("description", false, n => n.Description),
        new("max-prefix", false, n => n.MaxPrefix),
        new("passive", false, n => n.Passive),
        new("route-reflector-client", false, n => n.RouteReflectorClient),
        new("shutdown-message", false, n => n.ShutdownMessage),
        new("listen-limit", false, n => n.ListenLimit),
    ];

    public static (ImmutableArray<NeighborOptions> Added, ImmutableArray<NeighborOptions> Removed, ImmutableArray<NeighborChange> Changed) Compute(
        EquatableArray<NeighborOptions> old, EquatableArray<NeighborOptions> @new, bool routerGracefulRestartChanged)
    {
        var before = old.ToDictionary(n => n.Key, StringComparer.Ordinal);
        var after = @new.Select(n => n.Key).ToHashSet(StringComparer.Ordinal);
        var added = ImmutableArray.CreateBuilder<NeighborOptions>();
        var changed = ImmutableArray.CreateBuilder<NeighborChange>();
        foreach (var n in @new)
        {
            if (!before.TryGetValue(n.Key, out var o))
            {
                added.Add(n);
            }
            else if (Classify(o, n, routerGracefulRestartChanged) is { } change)
            {
                changed.Add(change);
            }
        }
        var removed = old.Where(n => !after.Contains(n.Key)).ToImmutableArray();
        return (added.ToImmutable(), removed, changed.ToImmutable());
    }

    private static NeighborChange? Classify(NeighborOptions old, NeighborOptions @new, bool routerGracefulRestartChanged)
    {
        var keys = ImmutableArray.CreateBuilder<string>();
        var resets = false;
        foreach (var f in Fields)
        {
            if (!Equals(f.Value(old), f.Value(@new)))
            {
                keys.Add(f.Key);
                resets |= f.Resets;
            }
        }
        // The router-wide Restart Time and F bit go in the capability this neighbor negotiates.
        if (routerGracefulRestartChanged && old.GracefulRestart.Enabled && @new.GracefulRestart.Enabled)
        {
            keys.Add("router.graceful-restart");
            resets = true;
        }
        if (old.Shutdown != @new.Shutdown)
        {
            keys.Add("shutdown");
        }
        if (keys.Count == 0)
        {
            return null;
        }
        var action = (old.Shutdown, @new.Shutdown) switch
        {
            (false, true) => NeighborAction.Shutdown,
            (true, false) => NeighborAction.Start,
            (true, true) => NeighborAction.UpdateInPlace,
            _ => resets ? NeighborAction.ResetSession : NeighborAction.UpdateInPlace,
        };
        var readvertise = action == NeighborAction.UpdateInPlace && !@new.Shutdown && old.RouteReflectorClient != @new.RouteReflectorClient;
        return new NeighborChange(old, @new, keys.ToImmutable(), action, readvertise);
    }
}
