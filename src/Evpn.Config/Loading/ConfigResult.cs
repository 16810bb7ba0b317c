using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Evpn.Config.Options;

namespace Evpn.Config.Loading;

/// <summary>Either a validated configuration or every error found: never both.</summary>
public sealed record ConfigResult
{
    private ConfigResult(EvpnConfig? config, ImmutableArray<ConfigError> errors)
    {
        Config = config;
        Errors = errors;
    }

    public EvpnConfig? Config { get; }
    public ImmutableArray<ConfigError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Config))]
    public bool IsValid => Config is not null;

    public static ConfigResult Valid(EvpnConfig config) => new(config, ImmutableArray<ConfigError>.Empty);

    public static ConfigResult Invalid(IEnumerable<ConfigError> errors)
    {
        var list = errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToImmutableArray();
        if (list.IsEmpty)
        {
            throw new ArgumentException("an invalid result needs at least one error", nameof(errors));
        }
        return new ConfigResult(null, list);
    }

    /// <summary>All errors, one per line, in file order.</summary>
    public override string ToString() => IsValid ? "valid" : string.Join(Environment.NewLine, Errors);
}
