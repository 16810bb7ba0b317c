namespace Evpn.Wire.Tests;

public class RoundTripTests
{
    [Theory]
    [MemberData(nameof(Fixtures.All), MemberType = typeof(Fixtures))]
    public void Every_captured_message_decodes_cleanly_and_re_encodes_byte_identical(string name)
    {
        var bytes = Fixtures.Load(name);

        var result = BgpDecoder.Decode(bytes, Fixtures.Context);

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Message);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(BgpEncoder.Encode(result.Message, Fixtures.Context)));
    }
}
