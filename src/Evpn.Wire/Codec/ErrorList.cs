using System.Collections.Immutable;

namespace Evpn.Wire;

/// <summary>The errors of one message, allocated only when there is one.</summary>
internal struct ErrorList
{
    private ImmutableArray<BgpError>.Builder? _errors;

    public readonly bool HasFatal => _errors is not null && _errors.Any(e => e.Action == ErrorAction.SessionReset);

    public void Add(BgpError error)
    {
        _errors ??= ImmutableArray.CreateBuilder<BgpError>();
        _errors.Add(error);
    }

    public readonly ImmutableArray<BgpError> ToImmutable() => _errors?.ToImmutable() ?? ImmutableArray<BgpError>.Empty;
}
