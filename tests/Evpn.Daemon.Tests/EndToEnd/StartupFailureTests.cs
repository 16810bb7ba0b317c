using System.Net;
using System.Net.Sockets;
using Evpn.Testing.EndToEnd;

namespace Evpn.Daemon.Tests.EndToEnd;

/// <summary>(f) evpnd refuses to start with a clear message and an exit code a unit file or script can act on.</summary>
[Collection(EvpndCollection.Name)]
public sealed class StartupFailureTests
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Check_config_on_a_broken_file_exits_2_and_prints_file_line_and_column()
    {
        using var folder = new TempFolder();
        var address = LoopbackAddresses.Next();
        var config = new DaemonConfig("x", 65001, address, 65002, LoopbackAddresses.Next(), [100], folder.File("x.sock")).ToYaml()
            .Replace("remote-as: 65002", "remote-as: sixty-five", StringComparison.Ordinal);
        var path = folder.File("broken.yaml");
        File.WriteAllText(path, config);
        var line = config.Split('\n').ToList().FindIndex(l => l.Contains("sixty-five", StringComparison.Ordinal)) + 1;

        await using var evpnd = EvpndProcess.Start("check", "--check-config", path);

        Assert.Equal(2, await evpnd.WaitForExitAsync(ExitDeadline));
        Assert.Contains($"{path}:{line}:5: neighbors[0].remote-as: ", evpnd.Output);
        Assert.Contains("sixty-five", evpnd.Output);
        Assert.False(File.Exists(folder.File("x.sock")));
    }

    [Fact]
    public async Task Check_config_on_a_good_file_exits_0()
    {
        using var folder = new TempFolder();
        var path = folder.File("good.yaml");
        File.WriteAllText(path, new DaemonConfig("x", 65001, LoopbackAddresses.Next(), 65002, LoopbackAddresses.Next(), [100], folder.File("x.sock")).ToYaml());

        await using var evpnd = EvpndProcess.Start("check", "--check-config", path);

        Assert.Equal(0, await evpnd.WaitForExitAsync(ExitDeadline));
        Assert.Contains($"{path}: valid", evpnd.Output);
    }

    [RequiresFact(Requirement.Root)]
    public async Task A_bgp_port_already_in_use_exits_4_with_a_clear_message()
    {
        using var folder = new TempFolder();
        var config = new DaemonConfig("x", 65001, LoopbackAddresses.Next(), 65002, LoopbackAddresses.Next(), [100], folder.File("x.sock"));
        var path = folder.File("x.yaml");
        File.WriteAllText(path, config.ToYaml());
        using var squatter = new TcpListener(IPAddress.Parse(config.Address), 179);
        squatter.Start();

        await using var evpnd = EvpndProcess.Start("busy", "--config", path);

        Assert.Equal(4, await evpnd.WaitForExitAsync(ExitDeadline));
        Assert.Contains("evpnd: cannot listen: address already in use", evpnd.Output);
    }
}
