using System.Globalization;

namespace Evpn.LoadGen;

public enum LoadCommandKind
{
    Announce,
    Move,
    Withdraw,
    Wait,
    Quit,
}

/// <summary>One step of a run, from stdin or --script: announce | move | withdraw | wait-SECONDS | quit.</summary>
public readonly record struct LoadCommand(LoadCommandKind Kind, int Seconds = 0)
{
    public static bool TryParse(string text, out LoadCommand command)
    {
        command = default;
        switch (text.Trim())
        {
            case "announce":
                command = new(LoadCommandKind.Announce);
                return true;
            case "move":
                command = new(LoadCommandKind.Move);
                return true;
            case "withdraw":
                command = new(LoadCommandKind.Withdraw);
                return true;
            case "quit":
                command = new(LoadCommandKind.Quit);
                return true;
        }
        if (text.StartsWith("wait-", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            command = new(LoadCommandKind.Wait, seconds);
            return true;
        }
        return false;
    }
}
