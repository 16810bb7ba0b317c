using Evpn.Session.Negotiation;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Negotiation;

/// <summary>RFC 4271 section 6.2 Bad Peer AS under each remote-as form of the configuration.</summary>
public sealed class RemoteAsRuleTests
{
    private const uint LocalAs = 65001;

    [Theory]
    [InlineData(65002u, true)]
    [InlineData(65003u, false)]
    [InlineData(LocalAs, false)]
    public void A_number_accepts_only_that_AS(uint announced, bool accepted) =>
        Assert.Equal(accepted, Negotiate(RemoteAsRule.Exactly(65002), announced).Error is null);

    [Theory]
    [InlineData(65002u, true)]
    [InlineData(4200000000u, true)]
    [InlineData(LocalAs, false)]
    public void External_accepts_any_AS_but_ours(uint announced, bool accepted) =>
        Assert.Equal(accepted, Negotiate(RemoteAsRule.AnyExternal, announced).Error is null);

    [Theory]
    [InlineData(65002u)]
    [InlineData(LocalAs)]
    public void Any_accepts_every_AS(uint announced) =>
        Assert.Null(Negotiate(RemoteAsRule.Any, announced).Error);

    [Fact]
    public void A_refused_AS_is_reported_as_bad_peer_AS()
    {
        var error = Negotiate(RemoteAsRule.AnyExternal, LocalAs).Error;

        Assert.NotNull(error);
        Assert.Equal(NotificationCode.OpenMessageError, error.Code);
        Assert.Equal((byte)OpenMessageErrorSubcode.BadPeerAs, error.Subcode);
    }

    private static OpenOutcome Negotiate(RemoteAsRule rule, uint announced)
    {
        var local = OpenMessage.Create(LocalAs, 90, 0x0A000001, [new MultiprotocolCapability(AfiSafi.L2vpnEvpn), new FourOctetAsCapability(LocalAs)]);
        var remote = OpenMessage.Create(announced, 90, 0x0A000002, [new MultiprotocolCapability(AfiSafi.L2vpnEvpn), new FourOctetAsCapability(announced)]);
        return OpenNegotiation.Negotiate(local, remote, rule);
    }
}
