using Evpn.Daemon.Management;
using Evpn.Wire;

namespace Evpn.Daemon.Tests.Management;

/// <summary>What a peer chose to send reaches the management API's documents (and through them evpnctl and
/// `--json`) with its control characters escaped.</summary>
public class ApiViewsTests
{
    [Fact]
    public void Hostname_and_software_version_capabilities_are_escaped()
    {
        Assert.Equal("hostname leaf\\x1b]0;owned\\x07.example", ApiViews.Capability(new FqdnCapability("leaf\u001b]0;owned\u0007", "example")));
        Assert.Equal("software-version FRR\\x0aforged line", ApiViews.Capability(new SoftwareVersionCapability("FRR\nforged line")));
    }

    [Fact]
    public void A_received_shutdown_communication_is_escaped()
    {
        var shown = ApiViews.Notification(Notifications.Shutdown("going down\u001b[2J\r\n"));

        Assert.Equal("NOTIFICATION Cease/2 \"going down\\x1b[2J\\x0d\\x0a\"", shown);
    }
}
