using Evpn.Wire.Model;

namespace Evpn.LoadGen.Tests;

public class LoadOptionsTests
{
    [Fact]
    public void Parses_every_option()
    {
        var o = LoadOptions.Parse(["--peer", "10.99.0.1", "--port", "1179", "--local-as", "4200000000", "--router-id", "10.99.0.2",
            "--rt-as", "65002", "--routes", "1000000", "--vnis", "100", "--first-vni", "5000", "--vteps", "8",
            "--first-vtep", "10.201.0.1", "--mac-ip-fraction", "0.25", "--no-type3", "--move-fraction", "0.2", "--seed", "7",
            "--hold-time", "90", "--no-extended-message", "--script", "announce,wait-2,withdraw,quit"], out var error);

        Assert.Null(error);
        Assert.NotNull(o);
        Assert.Equal(IpAddr.Parse("10.99.0.1"), o.Peer);
        Assert.Equal(1179, o.Port);
        Assert.Equal(4_200_000_000u, o.LocalAsn);
        Assert.Equal((ushort)65002, o.RtAsn);
        Assert.Equal(1_000_000, o.Routes);
        Assert.Equal(5000u, o.FirstVni);
        Assert.Equal(8, o.Vteps);
        Assert.Equal(0.25, o.MacIpFraction);
        Assert.False(o.Type3);
        Assert.Equal(200_000, o.MovedCount);
        Assert.Equal(0, o.Type3Count);
        Assert.Equal(IpAddr.Parse("10.201.0.9"), o.MoveVtep);
        Assert.False(o.ExtendedMessage);
        Assert.Equal(["announce", "wait-2", "withdraw", "quit"], o.Script);
    }

    [Fact]
    public void Slow_clients_are_parsed_for_the_reflector_mode()
    {
        var o = LoadOptions.Parse(["--sessions", "10", "--originators", "4", "--slow-clients", "6"], out var error);

        Assert.Null(error);
        Assert.Equal(6, o!.SlowClients);
    }

    [Theory]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("--routes", "--routes needs a value")]
    [InlineData("--routes 0", "--routes must be in 1..16777216, found 0")]
    [InlineData("--move-fraction 1.5", "--move-fraction must be in 0..1, found 1.5")]
    [InlineData("--first-vni 16777200 --vnis 100", "VNIs 16777200..16777299 are outside 1..16777215")]
    [InlineData("--hold-time 2", "--hold-time must be 0 or at least 3 (RFC 4271 section 4.2)")]
    [InlineData("--router-id 2001:db8::1", "--router-id must be an IPv4 address")]
    [InlineData("--sessions 2 --first-vtep 2001:db8::1", "--originators must not exceed --sessions, and --first-local, --first-vtep and --peer must be IPv4 addresses in reflector mode")]
    [InlineData("--script announce,dance", "unknown command 'dance' in --script")]
    [InlineData("--sessions 10 --originators 4 --slow-clients 7", "--slow-clients must not exceed the clients that are not originators (--sessions less --originators)")]
    public void Refuses_bad_arguments_with_a_message(string args, string message)
    {
        var o = LoadOptions.Parse(args.Split(' '), out var error);

        Assert.Null(o);
        Assert.Equal(message, error);
    }

    /// <summary>An IPv6 underlay: the session and the VTEPs IPv6, consecutive VTEPs counted in the last bits (hex), the
    /// RDs' router-ids IPv4 and distinct per VTEP.</summary>
    [Fact]
    public void Takes_an_ipv6_session_address_and_ipv6_vteps()
    {
        var o = LoadOptions.Parse(["--peer", "2001:db8:99::1", "--router-id", "10.99.0.2", "--first-vtep", "2001:db8:200::1", "--vteps", "16"], out var error);

        Assert.Null(error);
        Assert.NotNull(o);
        Assert.Equal(IpAddr.Parse("2001:db8:99::1"), o.Peer);
        Assert.Equal(IpAddr.Parse("2001:db8:200::10"), o.Vtep(15));
        Assert.Equal(IpAddr.Parse("2001:db8:200::11"), o.MoveVtep);
        Assert.Equal(IpAddr.Parse("10.200.0.16").V4Bits, o.VtepRouterId(15));
        Assert.Equal(IpAddr.Parse("10.99.0.1").V4Bits, (o with { FirstVtep = IpAddr.Parse("10.99.0.1") }).VtepRouterId(0));
    }

    [Theory]
    [InlineData("announce", LoadCommandKind.Announce, 0)]
    [InlineData(" move ", LoadCommandKind.Move, 0)]
    [InlineData("withdraw", LoadCommandKind.Withdraw, 0)]
    [InlineData("wait-15", LoadCommandKind.Wait, 15)]
    [InlineData("quit", LoadCommandKind.Quit, 0)]
    public void Parses_commands(string text, LoadCommandKind kind, int seconds)
    {
        Assert.True(LoadCommand.TryParse(text, out var command));
        Assert.Equal(new LoadCommand(kind, seconds), command);
    }

    [Theory]
    [InlineData("wait-")]
    [InlineData("wait--1")]
    [InlineData("announce-all")]
    public void Refuses_unknown_commands(string text) => Assert.False(LoadCommand.TryParse(text, out _));
}
