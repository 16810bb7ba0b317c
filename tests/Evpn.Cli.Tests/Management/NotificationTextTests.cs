using Evpn.Cli.Management;

namespace Evpn.Cli.Tests.Management;

public sealed class NotificationTextTests
{
    [Theory]
    [InlineData("NOTIFICATION Cease/2 \"evpnd is stopping\"", "NOTIFICATION Cease/2 (administrative shutdown) \"evpnd is stopping\"")]
    [InlineData("NOTIFICATION HoldTimerExpired/0", "NOTIFICATION HoldTimerExpired/0")]
    [InlineData("NOTIFICATION OpenMessageError/2", "NOTIFICATION OpenMessageError/2 (bad peer AS)")]
    [InlineData("NOTIFICATION UpdateMessageError/11", "NOTIFICATION UpdateMessageError/11 (malformed AS_PATH)")]
    [InlineData("NOTIFICATION FiniteStateMachineError/3", "NOTIFICATION FiniteStateMachineError/3 (unexpected message in Established)")]
    [InlineData("NOTIFICATION SendHoldTimerExpired/0", "NOTIFICATION SendHoldTimerExpired/0")]
    [InlineData("hold timer expired", "hold timer expired")]
    [InlineData("NOTIFICATION Cease/99", "NOTIFICATION Cease/99")]
    public void Known_subcodes_get_their_name_and_the_rest_of_the_text_is_kept(string text, string expected) =>
        Assert.Equal(expected, NotificationText.Describe(text));

    [Fact]
    public void A_hard_reset_and_the_notification_it_carries_are_both_named()
    {
        var text = NotificationText.Describe("NOTIFICATION Cease/9 carrying NOTIFICATION Cease/2 \"bye\"");

        Assert.Equal("NOTIFICATION Cease/9 (hard reset) carrying NOTIFICATION Cease/2 (administrative shutdown) \"bye\"", text);
    }
}
