using System.Net;
using System.Reflection;
using Evpn.Session.Options;
using Evpn.Session.Transport;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Transport;

/// <summary>The records that carry a peer's TCP-MD5 key print every member but the key (they reach logs and
/// exception messages through their ToString).</summary>
public sealed class PasswordPrintingTests
{
    private const string Key = "s3cret-Key-0f-evpnd";

    [Fact]
    public void Peer_options_print_every_member_but_the_key()
    {
        var options = new PeerOptions { Address = PeerAddress.Parse("10.0.1.2"), RemoteAs = 65002, Password = Key, HoldTime = 9 };

        var text = options.ToString();

        Assert.DoesNotContain(Key, text);
        Assert.Contains("Password = (set, not shown)", text);
        Assert.Contains("HoldTime = 9", text);
        Assert.All(typeof(PeerOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance), p => Assert.Contains($"{p.Name} = ", text));
    }

    [Fact]
    public void Connection_options_print_every_member_but_the_key()
    {
        var options = new ConnectionOptions(IPAddress.Parse("10.0.1.2"), Password: Key, MultihopTtl: 3);

        var text = options.ToString();

        Assert.DoesNotContain(Key, text);
        Assert.Contains("RemoteAddress = 10.0.1.2", text);
        Assert.Contains("MultihopTtl = 3", text);
        Assert.All(typeof(ConnectionOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance), p => Assert.Contains($"{p.Name} = ", text));
        Assert.DoesNotContain("Password = (set", new ConnectionOptions(IPAddress.Parse("10.0.1.2")).ToString());
    }
}
