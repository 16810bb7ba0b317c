using Evpn.Wire.Model;

namespace Evpn.Wire.Tests;

/// <summary>Text from peers (shutdown communication, hostname and software version capabilities) is shown with
/// control and invisible format characters escaped, so it cannot drive a terminal or forge a log line.</summary>
public class PeerTextTests
{
    [Theory]
    [InlineData("maintenance window", "maintenance window")]
    [InlineData("red \u001b[31mALERT\u001b[0m", "red \\x1b[31mALERT\\x1b[0m")]
    [InlineData("line\nforged: peer up", "line\\x0aforged: peer up")]
    [InlineData("cr\rtab\tdel\u007f", "cr\\x0dtab\\x09del\\x7f")]
    [InlineData("c1 csi \u009b2J", "c1 csi \\x9b2J")]
    [InlineData("bidi \u202Edesrever", "bidi \\u{202e}desrever")]
    [InlineData("zero\u200Bwidth and \u2028 separator", "zero\\u{200b}width and \\u{2028} separator")]
    [InlineData("quote \" and back\\slash", "quote \\\" and back\\\\slash")]
    [InlineData("ünïcödé 路由器 🚀", "ünïcödé 路由器 🚀")]
    public void Control_and_format_characters_are_escaped(string text, string shown) =>
        Assert.Equal(shown, PeerText.Escape(text));

    [Fact]
    public void A_shutdown_communication_is_shown_escaped()
    {
        var notification = Notifications.Shutdown("bye\u001b]0;pwned\u0007\n");

        Assert.Equal("NOTIFICATION Cease/2 \"bye\\x1b]0;pwned\\x07\\x0a\"", notification.ToString());
    }

    [Fact]
    public void Hostname_and_software_version_capabilities_are_shown_escaped()
    {
        Assert.Equal("leaf\\x1b[2J.example", new FqdnCapability("leaf\u001b[2J", "example").Shown);
        Assert.Equal("leaf", new FqdnCapability("leaf", "").Shown);
        Assert.Equal("FRRouting/8.4\\x0a", new SoftwareVersionCapability("FRRouting/8.4\n").Shown);
        Assert.DoesNotContain('\u001b', new FqdnCapability("leaf\u001b[2J", "").ToString());
        Assert.DoesNotContain('\n', new SoftwareVersionCapability("x\ny").ToString());
    }
}
