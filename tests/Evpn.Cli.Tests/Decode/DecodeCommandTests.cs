using System.Buffers;
using System.Text.Json;
using Evpn.Cli.Commands;
using Evpn.Wire.Model;
using Evpn.Wire.Mrt;

namespace Evpn.Cli.Tests.Decode;

/// <summary><c>evpnctl decode</c> on hex, raw message files and MRT files written by the codec's MRT writer.</summary>
public class DecodeCommandTests
{
    // FRR 8.4.4's type-3 UPDATE (capture frame 13) and its shutdown NOTIFICATION (frame 103).
    private const string Type3Update =
        "ffffffffffffffffffffffffffffffff0064020000004d900e001c001946040a000001000311000101010101000200000000200a000001" +
        "400101005002000602010000fde9c01010030c0000000000080002fde900000064c0160900060000640a000001";
    private const string Shutdown = "ffffffffffffffffffffffffffffffff0028030602126d61696e74656e616e63652077696e646f77";

    private static (int Code, string Output, string Error) Run(FileInfo? file, string? hex, bool json = false)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = DecodeCommand.Run(file, hex, json, as2: false, addPath: false, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Hex_input_prints_each_message_as_text()
    {
        var (code, output, _) = Run(null, Type3Update + " " + Shutdown);

        Assert.Equal(DecodeCommand.Ok, code);
        Assert.Contains("#1 UPDATE (100 octets)", output);
        Assert.Contains("1.1.1.1:2 [3]:[0]:[32]:[10.0.0.1]", output);
        Assert.Contains("PMSI_TUNNEL type 6 (ingress replication) flags 0 label 100 endpoint 10.0.0.1", output);
        Assert.Contains("#2 NOTIFICATION (40 octets) Cease (6) subcode 2 \"maintenance window\"", output);
    }

    [Fact]
    public void A_shutdown_communication_with_control_characters_is_printed_escaped()
    {
        // Cease/2 with the communication ESC "[31mx" LF: a peer's attempt to colour the operator's terminal.
        const string hostile = "ffffffffffffffffffffffffffffffff001d030602071b5b33316d780a";

        var (code, output, _) = Run(null, hostile);
        var (_, json, _) = Run(null, hostile, json: true);

        Assert.Equal(DecodeCommand.Ok, code);
        Assert.Contains("#1 NOTIFICATION (29 octets) Cease (6) subcode 2 \"\\x1b[31mx\\x0a\"", output);
        Assert.DoesNotContain('\u001b', output);
        Assert.Equal("\\x1b[31mx\\x0a", JsonDocument.Parse(json).RootElement[0].GetProperty("shutdownCommunication").GetString());
    }

    [Fact]
    public void Json_output_is_an_array_of_typed_messages()
    {
        var (code, output, _) = Run(null, Type3Update, json: true);

        Assert.Equal(DecodeCommand.Ok, code);
        var message = JsonDocument.Parse(output).RootElement[0];
        Assert.Equal("UPDATE", message.GetProperty("type").GetString());
        var route = message.GetProperty("mpReach").GetProperty("nlri")[0];
        Assert.Equal(3, route.GetProperty("routeType").GetInt32());
        Assert.Equal("10.0.0.1", route.GetProperty("originator").GetString());
        Assert.Equal(100, message.GetProperty("attributes").GetProperty("pmsiTunnel").GetProperty("label").GetInt32());
    }

    [Fact]
    public void An_mrt_file_shows_who_sent_each_message()
    {
        var path = Path.Combine(Path.GetTempPath(), $"evpnctl-decode-{Environment.ProcessId}-{Guid.NewGuid():N}.mrt");
        try
        {
            var records = new ArrayBufferWriter<byte>();
            MrtWriter.WriteMessageAs4(records, new DateTimeOffset(2026, 11, 22, 3, 11, 0, TimeSpan.Zero), 65001, 65002,
                IpAddr.Parse("10.0.0.1"), IpAddr.Parse("10.0.0.2"), Convert.FromHexString(Type3Update));
            File.WriteAllBytes(path, records.WrittenSpan.ToArray());

            var (code, output, _) = Run(new FileInfo(path), null);

            Assert.Equal(DecodeCommand.Ok, code);
            Assert.Contains("BGP4MP_ET 10.0.0.1 (AS 65001) -> 10.0.0.2 (AS 65002)", output);
            Assert.Contains("[3]:[0]:[32]:[10.0.0.1]", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_malformed_message_is_shown_with_its_rfc_7606_action_and_exit_code_2()
    {
        // ORIGIN with the undefined value 3.
        var (code, output, _) = Run(null, "ffffffffffffffffffffffffffffffff001b0200000004400101" + "03");

        Assert.Equal(DecodeCommand.MalformedMessages, code);
        Assert.Contains("error: TreatAsWithdraw: ORIGIN value 3 is undefined", output);
    }

    [Theory]
    [InlineData("zz")]
    [InlineData("abc")]
    public void Bad_hex_is_an_input_error(string hex)
    {
        var (code, _, error) = Run(null, hex);

        Assert.Equal(DecodeCommand.InputError, code);
        Assert.StartsWith("evpnctl decode:", error);
    }

    [Fact]
    public void Neither_or_both_inputs_is_an_input_error()
    {
        Assert.Equal(DecodeCommand.InputError, Run(null, null).Code);
        Assert.Equal(DecodeCommand.InputError, Run(new FileInfo("/nonexistent"), Type3Update).Code);
        Assert.Equal(DecodeCommand.InputError, Run(new FileInfo("/nonexistent/evpnctl-decode.mrt"), null).Code);
    }
}
