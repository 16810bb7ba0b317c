namespace Evpn.Wire.Tests;

/// <summary>Every captured message decodes to what it carries. The expected lines were checked against
/// tshark's dissection of the same frames (route types, MACs, IPs, labels, origin, AS path, communities).</summary>
public class CapturedSummaryTests
{
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["frame-004-1-open"] = "OPEN as 65001 hold 9 id 1.1.1.1 caps 1,128,2,70,65,6,69,73,64,71",
        ["frame-005-1-open"] = "OPEN as 65002 hold 90 id 2.2.2.2 caps 2,73,1,65,64,5",
        ["frame-008-1-keepalive"] = "KEEPALIVE",
        ["frame-010-1-keepalive"] = "KEEPALIVE",
        ["frame-011-1-update"] = "EOR l2vpn-evpn",
        ["frame-013-1-update"] = "UPDATE reach nh 10.0.0.1: 1.1.1.1:2 [2]:[0]:[48]:[02:9d:10:9b:6e:d1] label 100; 1.1.1.1:2 [2]:[0]:[48]:[0e:5f:a1:5b:cc:75]:[128]:[fe80::c5f:a1ff:fe5b:cc75] label 100; 1.1.1.1:2 [2]:[0]:[48]:[0e:5f:a1:5b:cc:75]:[32]:[10.1.1.1] label 100 | origin Igp | as-path 65001 | ext ET:8, RT:65001:100",
        ["frame-013-2-update"] = "UPDATE reach nh 10.0.0.1: 1.1.1.1:2 [3]:[0]:[32]:[10.0.0.1] | origin Igp | as-path 65001 | ext ET:8, RT:65001:100 | pmsi type 6 label 100 endpoint 10.0.0.1",
        ["frame-013-3-update"] = "EOR l2vpn-evpn",
        ["frame-035-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:100 [3]:[0]:[32]:[10.0.0.2] | origin Incomplete | as-path 65002 | ext RT:65001:100, ET:8 | pmsi type 6 label 100 endpoint 10.0.0.2",
        ["frame-036-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:01] label 100 | origin Incomplete | as-path 65002 | ext RT:65001:100, ET:8",
        ["frame-038-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:02]:[32]:[10.1.1.20] label 100 | origin Incomplete | as-path 65002 | ext RT:65001:100, ET:8",
        ["frame-039-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:03]:[128]:[2001:db8::3] label 100 | origin Incomplete | as-path 65002 | ext RT:65001:100, ET:8",
        ["frame-041-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:100 [3]:[0]:[32]:[10.0.0.2] | origin Incomplete | as-path 65001 65002 | ext RT:65001:100, ET:8 | pmsi type 6 label 100 endpoint 10.0.0.2",
        ["frame-041-2-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:01] label 100; 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:03]:[128]:[2001:db8::3] label 100; 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:02]:[32]:[10.1.1.20] label 100 | origin Incomplete | as-path 65001 65002 | ext RT:65001:100, ET:8",
        ["frame-043-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:5000 [5]:[0]:[24]:[10.2.0.0] gateway 0.0.0.0 label 5000 | origin Incomplete | as-path 65002 | ext RT:65001:5000, ET:8, Rmac:02:00:00:00:00:02",
        ["frame-044-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:5000 [5]:[0]:[64]:[2001:db8:2::] gateway :: label 5000 | origin Incomplete | as-path 65002 | ext RT:65001:5000, ET:8, Rmac:02:00:00:00:00:02",
        ["frame-046-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:5000 [5]:[0]:[24]:[10.2.0.0] gateway 0.0.0.0 label 5000; 2.2.2.2:5000 [5]:[0]:[64]:[2001:db8:2::] gateway :: label 5000 | origin Incomplete | as-path 65001 65002 | ext RT:65001:5000, ET:8, Rmac:02:00:00:00:00:02",
        ["frame-057-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:06]:[32]:[10.1.1.60] esi 00:01:00:00:00:00:00:00:00:00 label 100 | origin Incomplete | as-path 65002 | ext RT:65001:100, ET:8",
        ["frame-058-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:100 [4]:[00:01:00:00:00:00:00:00:00:00]:[32]:[10.0.0.2] | origin Incomplete | as-path 65002 | ext RT:65001:100, ET:8",
        ["frame-060-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:06]:[32]:[10.1.1.60] esi 00:01:00:00:00:00:00:00:00:00 label 100 | origin Incomplete | as-path 65001 65002 | ext RT:65001:100, ET:8",
        ["frame-060-2-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:100 [4]:[00:01:00:00:00:00:00:00:00:00]:[32]:[10.0.0.2] | origin Incomplete | as-path 65001 65002 | ext RT:65001:100, ET:8",
        ["frame-061-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:08]:[32]:[10.9.9.8] label 5000 | origin Incomplete | as-path 65002 | ext RT:65001:5000, ET:8, Rmac:02:00:00:00:00:02",
        ["frame-063-1-update"] = "UPDATE unreach: 2.2.2.2:100 [3]:[0]:[32]:[10.0.0.2]",
        ["frame-065-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:100 [3]:[0]:[32]:[10.0.0.2] | origin Incomplete | as-path 65002 | ext RT:65001:100, ET:8 | pmsi type 6 label 100 endpoint 10.0.0.2",
        ["frame-066-1-update"] = "UPDATE reach nh 10.0.0.2: 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:08]:[32]:[10.9.9.8] label 5000 | origin Incomplete | as-path 65001 65002 | ext RT:65001:5000, ET:8, Rmac:02:00:00:00:00:02",
        ["frame-074-1-update"] = "UPDATE reach nh 10.0.0.1: 1.1.1.1:2 [2]:[0]:[48]:[02:9d:10:9b:6e:d1]:[32]:[10.1.1.99] label 100 | origin Igp | as-path 65001 | ext ET:8, RT:65001:100",
        ["frame-079-1-update"] = "UPDATE unreach: 1.1.1.1:2 [2]:[0]:[48]:[02:9d:10:9b:6e:d1]:[32]:[10.1.1.99] label 0",
        ["frame-079-2-update"] = "UPDATE reach nh 10.0.0.1: 1.1.1.1:2 [2]:[0]:[48]:[aa:bb:cc:00:00:01] label 100; 1.1.1.1:2 [2]:[0]:[48]:[aa:bb:cc:00:00:01]:[32]:[10.1.1.99] label 100 | origin Igp | as-path 65001 | ext ET:8, RT:65001:100, MM:1",
        ["frame-081-1-update"] = "UPDATE unreach: 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:01] label 100",
        ["frame-083-1-update"] = "UPDATE unreach: 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:01] label 0",
        ["frame-095-1-update"] = "UPDATE unreach: 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:02]:[32]:[10.1.1.20] label 100",
        ["frame-097-1-update"] = "UPDATE unreach: 2.2.2.2:100 [2]:[0]:[48]:[aa:bb:cc:00:00:02]:[32]:[10.1.1.20] label 0",
        ["frame-103-1-notification"] = "NOTIFICATION 6/2 \"maintenance window\"",
    };

    [Theory]
    [MemberData(nameof(Fixtures.All), MemberType = typeof(Fixtures))]
    public void Every_captured_message_decodes_to_its_expected_content(string name)
    {
        var result = BgpDecoder.Decode(Fixtures.Load(name), Fixtures.Context);

        Assert.Equal(Expected[name], MessageSummary.Of(result.Message!));
    }

    [Fact]
    public void Every_fixture_has_an_expectation()
    {
        Assert.Equal(Fixtures.Names.Order(StringComparer.Ordinal), Expected.Keys.Order(StringComparer.Ordinal));
    }
}
