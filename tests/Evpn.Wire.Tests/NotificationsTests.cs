using Evpn.Wire.Model;

namespace Evpn.Wire.Tests;

public class NotificationsTests
{
    [Fact]
    public void A_notification_reporting_a_whole_message_is_cut_to_fit_4096_octets()
    {
        // RFC 7313 section 5 reports a bad ROUTE-REFRESH with the whole message as data; one of 4096 octets would
        // make a NOTIFICATION of 4117, which no encoder (and no peer without RFC 8654) takes.
        var refresh = new byte[BgpFraming.MaxMessageLength];
        Array.Fill(refresh, (byte)0xFF, 0, BgpFraming.MarkerLength);
        refresh[16] = 0x10;
        refresh[18] = (byte)MessageType.RouteRefresh;
        refresh[19] = 0;
        refresh[20] = 25;
        refresh[21] = (byte)RouteRefreshSubtype.BeginningOfRefresh;
        refresh[22] = 70;
        var decoded = BgpDecoder.Decode(refresh.AsSpan(), DecodeContext.Default);

        var notification = decoded.Notification!;

        Assert.Equal(NotificationCode.RouteRefreshMessageError, notification.Code);
        Assert.Equal(RouteRefreshErrorSubcode.InvalidMessageLength, notification.Subcode);
        Assert.Equal(refresh[..Notifications.MaxDataLength], notification.Data.ToArray());
        Assert.Equal(BgpFraming.MaxMessageLength, BgpEncoder.Encode(notification, DecodeContext.Default).Length);
    }

    [Fact]
    public void Hard_reset_carries_the_cease_it_stands_for_and_unwraps_to_it()
    {
        var cease = Notifications.MaximumPrefixes(AfiSafi.L2vpnEvpn, 1000);

        var hard = Notifications.HardReset(cease);

        // RFC 8538 section 3: code, subcode, then the inner data; RFC 4486 section 4: AFI, SAFI, limit.
        Assert.Equal(NotificationCode.Cease, hard.Code);
        Assert.Equal(CeaseSubcode.HardReset, hard.Subcode);
        Assert.Equal(new byte[] { 6, 1, 0, 25, 70, 0, 0, 0x03, 0xE8 }, hard.Data.ToArray());
        Assert.Equal(cease, Notifications.Unwrap(hard));
        Assert.Same(cease, Notifications.Unwrap(cease));
    }

    [Fact]
    public void Shutdown_without_a_communication_has_no_data_and_an_empty_one_a_zero_length()
    {
        Assert.Equal(new NotificationMessage(NotificationCode.Cease, CeaseSubcode.AdministrativeShutdown), Notifications.Shutdown(null));
        var reset = Notifications.Shutdown("", reset: true);
        Assert.Equal(CeaseSubcode.AdministrativeReset, reset.Subcode);
        Assert.Equal(new byte[] { 0 }, reset.Data.ToArray());
        Assert.Equal("", reset.ShutdownCommunication);
    }
}
