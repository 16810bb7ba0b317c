using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>An UPDATE on its way to a session: <see cref="Bytes"/> when it was encoded once for many sessions
/// that negotiated the same encoding (an update group's shared stream), null when the session's write loop
/// encodes it.</summary>
public sealed record EncodedUpdate(UpdateMessage Message, byte[]? Bytes = null)
{
    /// <summary>What the UPDATE weighs in a write queue (<see cref="Weight"/>).</summary>
    public int Routes { get; } = Weight(Message);

    /// <summary>The UPDATE encoded with <paramref name="context"/>, for every session that negotiated it.</summary>
    public static EncodedUpdate Shared(UpdateMessage message, DecodeContext context) => new(message, BgpEncoder.Encode(message, context));

    /// <summary>An UPDATE's routes (at least one). Counting messages would not bound a queue's memory: one UPDATE
    /// of 65,535 octets (RFC 8654) carries a thousand routes, one of 4,096 about fifty.</summary>
    public static int Weight(UpdateMessage update) =>
        Math.Max(1, update.Withdrawn.Count + update.Nlri.Count + (update.MpReach?.Nlri.Count ?? 0) + (update.MpUnreach?.Nlri.Count ?? 0));
}
