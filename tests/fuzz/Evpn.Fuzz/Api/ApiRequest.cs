using System.Text;

namespace Evpn.Fuzz.Api;

/// <summary>A management request: <c>METHOD /path?query</c> on the first line, the body after it.</summary>
/// <param name="Query">Empty, or the query string from its '?' on, undecoded.</param>
public sealed record ApiRequest(string Method, string Path, string Query, byte[] Body)
{
    /// <summary>The request in <paramref name="input"/>, or false when Kestrel would refuse its request line before
    /// evpnd sees it: a method that is not a token, a target that is not an origin-form path of printable ASCII, a
    /// path with an encoded NUL.</summary>
    public static bool TryParse(ReadOnlySpan<byte> input, out ApiRequest request)
    {
        request = null!;
        var end = input.IndexOf((byte)'\n');
        var line = end < 0 ? input : input[..end];
        var body = end < 0 ? [] : input[(end + 1)..].ToArray();
        var space = line.IndexOf((byte)' ');
        if (space is < 1 or > 16)
        {
            return false;
        }
        var method = line[..space];
        var target = line[(space + 1)..];
        foreach (var c in method)
        {
            if (!char.IsAsciiLetter((char)c) && c != '-')
            {
                return false;
            }
        }
        if (target.IsEmpty || target[0] != '/')
        {
            return false;
        }
        foreach (var c in target)
        {
            if (c is <= 0x20 or >= 0x7F or (byte)'#')
            {
                return false;
            }
        }
        var text = Encoding.ASCII.GetString(target);
        var question = text.IndexOf('?');
        // Kestrel refuses a path that decodes to a NUL.
        if ((question < 0 ? text : text[..question]).Contains("%00", StringComparison.Ordinal))
        {
            return false;
        }
        request = question < 0
            ? new ApiRequest(Encoding.ASCII.GetString(method), text, "", body)
            : new ApiRequest(Encoding.ASCII.GetString(method), text[..question], text[question..], body);
        return true;
    }

    public static ApiRequest Of(string method, string pathAndQuery) => TryParse(Encoding.ASCII.GetBytes($"{method} {pathAndQuery}"), out var request)
        ? request
        : throw new ArgumentException($"not a request line: {method} {pathAndQuery}", nameof(pathAndQuery));
}
