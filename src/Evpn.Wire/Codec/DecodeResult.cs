using System.Collections.Immutable;

namespace Evpn.Wire;

/// <summary>The outcome of decoding one BGP message: the message (null when the error is session-fatal or
/// the bytes are not a message at all), every problem found, and the strongest RFC 7606 action among them.</summary>
public readonly struct DecodeResult
{
    private readonly ImmutableArray<BgpError> _errors;

    public DecodeResult(BgpMessage? message, ImmutableArray<BgpError> errors, int skippedRoutes = 0)
    {
        Message = message;
        _errors = errors.IsDefault ? ImmutableArray<BgpError>.Empty : errors;
        SkippedRoutes = skippedRoutes;
        BgpError? strongest = null;
        foreach (var e in _errors)
        {
            strongest = BgpError.Stronger(strongest, e);
        }
        Strongest = strongest;
    }

    public static DecodeResult Ok(BgpMessage message) => new(message, ImmutableArray<BgpError>.Empty);
    public static DecodeResult Fatal(BgpError error) => new(null, ImmutableArray.Create(error));

    /// <summary>The decoded message; null when <see cref="Action"/> is <see cref="ErrorAction.SessionReset"/>.</summary>
    public BgpMessage? Message { get; }

    /// <summary>Every problem found, in message order; empty for a clean message (and for <c>default</c>).</summary>
    public ImmutableArray<BgpError> Errors => _errors.IsDefault ? ImmutableArray<BgpError>.Empty : _errors;

    /// <summary>The error with the strongest action (RFC 7606 section 3), or null when there is none.</summary>
    public BgpError? Strongest { get; }

    public ErrorAction Action => Strongest?.Action ?? ErrorAction.None;

    /// <summary>EVPN routes of unknown type that were skipped (RFC 7606 section 5.4).</summary>
    public int SkippedRoutes { get; }

    public bool IsSessionFatal => Action == ErrorAction.SessionReset;

    /// <summary>The NOTIFICATION to send before closing, when the error is session-fatal.</summary>
    public NotificationMessage? Notification => IsSessionFatal ? Notifications.For(Strongest!) : null;

    /// <summary>The families to disable (RFC 4760 section 7) because their MP attribute was malformed.</summary>
    public IEnumerable<Model.AfiSafi> DisabledFamilies =>
        Errors.Where(e => e.Action == ErrorAction.AfiSafiDisable && e.Family.HasValue).Select(e => e.Family!.Value).Distinct();

    public override string ToString() =>
        Strongest is null ? $"{Message}" : $"{Message?.Type.ToString() ?? "no message"}; {Errors.Length} error(s), strongest {Strongest}";
}
