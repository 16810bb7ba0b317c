using System.Globalization;

namespace Evpn.Cli.Decode;

/// <summary>Hex as people paste it: tshark's tcp.payload, Wireshark's "copy as hex stream", FRR's
/// debug dumps with spaces or colons, with or without a 0x prefix.</summary>
public static class HexInput
{
    public static byte[] Parse(string text)
    {
        var digits = new List<char>(text.Length);
        var t = text.Trim();
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            t = t[2..];
        }
        foreach (var c in t)
        {
            if (char.IsWhiteSpace(c) || c is ':' or '-')
            {
                continue;
            }
            if (!char.IsAsciiHexDigit(c))
            {
                throw new FormatException($"'{c}' is not a hex digit");
            }
            digits.Add(c);
        }
        if (digits.Count % 2 != 0)
        {
            throw new FormatException("hex input has an odd number of digits");
        }
        var bytes = new byte[digits.Count / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = byte.Parse(string.Concat(digits[2 * i], digits[2 * i + 1]), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return bytes;
    }
}
