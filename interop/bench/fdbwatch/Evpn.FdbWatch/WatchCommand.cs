using Evpn.Wire.Model;

namespace Evpn.FdbWatch;

/// <summary>One line of the harness's stdin protocol (see Program.cs), parsed; errors are values.</summary>
internal abstract record WatchCommand
{
    public sealed record Expect(FdbTarget Target) : WatchCommand;

    public sealed record Count(FdbTarget Target) : WatchCommand;

    public sealed record Quit : WatchCommand;

    public sealed record Invalid(string Reason) : WatchCommand;

    public static WatchCommand Parse(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words switch
        {
            ["quit"] => new Quit(),
            ["count", .. var rest] when rest.Length <= 1 => TargetOf(0, rest) is { } t ? new Count(t) : BadVtep(rest),
            ["expect", var n, .. var rest] when rest.Length <= 1 =>
                !int.TryParse(n, out var c) || c < 0 ? new Invalid($"'{n}' is not a count")
                : TargetOf(c, rest) is { } t ? new Expect(t) : BadVtep(rest),
            _ => new Invalid($"'{line}' is not one of: expect COUNT [VTEP], count [VTEP], quit"),
        };
    }

    private static FdbTarget? TargetOf(int count, string[] vtep) =>
        vtep.Length == 0 ? new FdbTarget(count, null)
        : IpAddr.TryParse(vtep[0], out var ip) ? new FdbTarget(count, ip)
        : null;

    private static Invalid BadVtep(string[] vtep) => new($"'{vtep[0]}' is not a VTEP address");
}
