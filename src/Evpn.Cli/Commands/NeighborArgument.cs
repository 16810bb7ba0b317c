using System.CommandLine;
using Evpn.Wire.Model;

namespace Evpn.Cli.Commands;

/// <summary>The neighbor argument of <c>show neighbors</c> and <c>neighbor</c>: an address, or the interface name of
/// an interface neighbor (BGP unnumbered).</summary>
internal static class NeighborArgument
{
    public static Argument<T> Create<T>(string description, ArgumentArity? arity = null)
    {
        var argument = new Argument<T>("NEIGHBOR") { Description = description };
        if (arity is { } a)
        {
            argument.Arity = a;
        }
        argument.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is string text && !PeerAddress.TryParse(text, out _) && !IsInterfaceName(text))
            {
                result.AddError($"NEIGHBOR: '{text}' is neither an IP address nor an interface name");
            }
        });
        return argument;
    }

    /// <summary>Linux interface names: 1..15 characters, no '/', ':' or whitespace.</summary>
    private static bool IsInterfaceName(string text) =>
        text.Length is > 0 and <= 15 && text is not "." and not ".." && !text.Any(c => c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c));
}
