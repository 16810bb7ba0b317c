using System.CommandLine;
using Evpn.Api;
using Evpn.Cli.Commands;
using Evpn.Testing.EndToEnd;

namespace Evpn.Cli.Tests.Commands;

public sealed class ParsingTests
{
    [Theory]
    [InlineData("show routes --type 4", "'4'")]
    [InlineData("show routes --vni 0", "--vni: expected 1..16777215, found '0'")]
    [InlineData("show macs --vni 16777216", "--vni: expected 1..16777215, found '16777216'")]
    [InlineData("show flood --vni ten", "--vni: expected 1..16777215, found 'ten'")]
    [InlineData("show routes --rd 65001", "--rd: '65001' is not a route distinguisher (ASN:NN or A.B.C.D:NN)")]
    [InlineData("show neighbors leaf/1", "NEIGHBOR: 'leaf/1' is neither an IP address nor an interface name")]
    [InlineData("explain mac 00:11:22:33:44", "MAC: '00:11:22:33:44' is not a MAC address")]
    [InlineData("neighbor 192.0.2.2 reboot", "'reboot'")]
    [InlineData("neighbor spine:1 shutdown", "NEIGHBOR: 'spine:1' is neither an IP address nor an interface name")]
    [InlineData("neighbor swp1-is-too-long-a-name clear", "NEIGHBOR: 'swp1-is-too-long-a-name' is neither an IP address nor an interface name")]
    [InlineData("neighbor 192.0.2.2 enable --soft", "--soft goes with clear, not with enable")]
    [InlineData("show", "Required command was not provided")]
    [InlineData("clear duplicates --vni 0", "--vni: expected 1..16777215, found '0'")]
    [InlineData("clear duplicates --mac 00:11:22:33:44", "--mac: '00:11:22:33:44' is not a MAC address")]
    [InlineData("clear", "Required command was not provided")]
    public void Bad_arguments_are_refused_before_evpnd_is_asked(string arguments, string expected)
    {
        var parse = Parse(arguments);

        Assert.Contains(parse.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("show summary --json")]
    [InlineData("show neighbors")]
    [InlineData("show neighbors 2001:db8::2 --json")]
    [InlineData("show routes --type 2 --vni 100 --rd 192.0.2.1:3")]
    [InlineData("show routes --rd 65001:100")]
    [InlineData("show vnis")]
    [InlineData("show macs --vni 16777215")]
    [InlineData("show flood --vni 1")]
    [InlineData("explain mac 00:11:22:33:44:55 --vni 100")]
    [InlineData("audit --json")]
    [InlineData("reload")]
    [InlineData("neighbor 192.0.2.2 clear --soft")]
    [InlineData("neighbor 192.0.2.2 shutdown")]
    [InlineData("neighbor swp1 clear")]
    [InlineData("show neighbors swp1")]
    [InlineData("clear duplicates")]
    [InlineData("clear duplicates --vni 100 --mac 00:11:22:33:44:55 --json")]
    public void Good_arguments_parse_without_errors(string arguments) => Assert.Empty(Parse(arguments).Errors);

    [Theory]
    [InlineData("--socket /tmp/a.sock show summary")]
    [InlineData("show summary --socket /tmp/a.sock")]
    [InlineData("show --socket /tmp/a.sock routes --vni 100")]
    public void The_socket_option_is_global(string arguments) =>
        Assert.Equal("/tmp/a.sock", Evpnctl.CreateRoot().Parse(arguments).GetValue(ManagementCall.Socket));

    [Fact]
    public void The_socket_defaults_to_EVPND_SOCKET_then_the_systemd_path()
    {
        var saved = Environment.GetEnvironmentVariable("EVPND_SOCKET");
        try
        {
            Environment.SetEnvironmentVariable("EVPND_SOCKET", "/tmp/from-environment.sock");
            Assert.Equal("/tmp/from-environment.sock", Evpnctl.CreateRoot().Parse("show summary").GetValue(ManagementCall.Socket));
            Environment.SetEnvironmentVariable("EVPND_SOCKET", null);
            Assert.Equal("/run/evpnd/evpnd.sock", Evpnctl.CreateRoot().Parse("show summary").GetValue(ManagementCall.Socket));
        }
        finally
        {
            Environment.SetEnvironmentVariable("EVPND_SOCKET", saved);
        }
    }

    [Fact]
    public void Queries_carry_only_the_filters_given_escaped()
    {
        Assert.Equal("/v1/routes", ApiPaths.WithQuery("/v1/routes", ("type", null), ("vni", null)));
        Assert.Equal("/v1/routes?type=2&rd=192.0.2.1%3A3", ApiPaths.WithQuery("/v1/routes", ("type", "2"), ("vni", null), ("rd", "192.0.2.1:3")));
        Assert.Equal("/v1/explain?mac=00%3A11%3A22%3A33%3A44%3A55&vni=100", ApiPaths.WithQuery("/v1/explain", ("mac", "00:11:22:33:44:55"), ("vni", "100")));
    }

    [Theory]
    [InlineData("show summary")]
    [InlineData("show routes --json")]
    [InlineData("audit")]
    [InlineData("reload")]
    [InlineData("neighbor 192.0.2.2 clear")]
    public async Task Without_evpnd_every_command_says_so_and_exits_3(string arguments)
    {
        using var folder = new TempFolder();
        var socket = folder.File("evpnd.sock");

        var result = await Evpnctl.RunAsync(socket, arguments.Split(' '));

        Assert.Equal(ManagementCall.Unreachable, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Contains($"evpnctl: evpnd is not answering on {socket}", result.Error);
        Assert.Contains("is it running", result.Error);
    }

    private static ParseResult Parse(string arguments) => Evpnctl.CreateRoot().Parse($"--socket /tmp/x.sock {arguments}");
}
