using System.Globalization;
using System.Text;

namespace Evpn.Wire.Model;

/// <summary>Text a peer chose (the RFC 8203 / RFC 9003 shutdown communication, the hostname and software version
/// capabilities) as it may be shown to an operator in logs, evpnctl and the management API. Control characters
/// (C0, DEL, C1), line and paragraph separators and the invisible format characters (bidirectional overrides,
/// zero-width characters) become <c>\xHH</c> or <c>\u{HHHH}</c>, and a backslash or double quote gets a
/// backslash, so that the text cannot move a terminal's cursor, start a forged log line, or read otherwise than
/// it was sent; the escaped text still shows exactly what was sent.</summary>
public static class PeerText
{
    public static string Escape(string text)
    {
        var clean = true;
        foreach (var rune in text.EnumerateRunes())
        {
            clean &= !NeedsEscape(rune);
        }
        if (clean)
        {
            return text;
        }
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is '\\' or '"')
            {
                escaped.Append('\\').Append((char)rune.Value);
            }
            else if (!NeedsEscape(rune))
            {
                escaped.Append(rune.ToString());
            }
            else if (rune.Value <= 0xFF)
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
            }
            else
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{{{rune.Value:x4}}}");
            }
        }
        return escaped.ToString();
    }

    private static bool NeedsEscape(Rune rune) => rune.Value is '\\' or '"' || Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
