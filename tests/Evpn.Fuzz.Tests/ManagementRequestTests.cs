using System.Text.Json;
using Evpn.Fuzz.Api;
using Evpn.Wire.Model;

namespace Evpn.Fuzz.Tests;

/// <summary>What the api target found in evpnd's management endpoints, each request answered by the endpoints
/// themselves (<see cref="ApiServer"/>).</summary>
public class ManagementRequestTests
{
    private static readonly Lazy<ApiServer> Server = new(ApiServer.Start);

    private static ApiServer.Answer Send(string method, string pathAndQuery) => Server.Value.Send(ApiRequest.Of(method, pathAndQuery));

    /// <summary>The type was read as an int and cast to the one-octet route type: type=258 showed the type-2 routes.</summary>
    [Fact]
    public void A_route_type_beyond_one_octet_is_refused_not_read_as_another_type()
    {
        var answer = Send("GET", "/v1/routes?type=258");
        Assert.Equal(400, answer.Status);
        Assert.Null(answer.Rendered);
        Assert.Equal("type: expected a route type 1..255, found '258'", JsonSerializer.Deserialize<string>(answer.Body));
    }

    /// <summary>A flag that said neither yes nor no was taken as no: soft=yes ran a hard reset.</summary>
    [Fact]
    public void A_flag_that_is_neither_true_nor_false_is_refused()
    {
        var answer = Send("POST", "/v1/neighbors/10.0.0.2/clear?soft=yes");
        Assert.Equal(400, answer.Status);
        Assert.Null(answer.Rendered);
        Assert.Equal(("POST", "/v1/neighbors/10.0.0.2/clear?soft=true"), Send("POST", "/v1/neighbors/10.0.0.2/clear?soft=1").Rendered);
    }

    /// <summary>Found by the api target: a MAC octet with a blank around its digits was read as the digit alone
    /// (HexNumber allows white space), so "52: 4:00:12:34:56" named 52:04:00:12:34:56.</summary>
    [Fact]
    public void A_mac_with_a_blank_in_an_octet_is_refused()
    {
        Assert.False(MacAddress.TryParse("52: 4:00:12:34:56", out _));
        Assert.False(MacAddress.TryParse("52:54:00:12:34:5 ", out _));
        var answer = Send("GET", "/v1/explain/route?mac=52%3A+4%3A00%3A12%3A34%3A56");
        Assert.Equal(400, answer.Status);
        Assert.Equal("mac: '52: 4:00:12:34:56' is not a MAC address", JsonSerializer.Deserialize<string>(answer.Body));
    }

    /// <summary>Found by the api target: an RD's address part was read by the general address parser, which takes
    /// "10.1" as 10.0.0.1, so rd=10.1:100 named 10.0.0.1:100.</summary>
    [Fact]
    public void A_route_distinguisher_whose_address_is_not_a_dotted_quad_is_refused()
    {
        Assert.False(RouteDistinguisher.TryParse("10.1:100", out _));
        Assert.False(RouteDistinguisher.TryParse("0x0a.0.0.1:100", out _));
        Assert.Equal("10.0.0.1:100", RouteDistinguisher.Parse("10.0.0.1:100").ToString());
        var answer = Send("GET", "/v1/routes?rd=10.1%3A100");
        Assert.Equal(400, answer.Status);
        Assert.Null(answer.Rendered);
    }

    /// <summary>Unknown paths and methods were answered 404 or 405 with an empty body; every other error says why.</summary>
    [Theory]
    [InlineData("GET", "/v1/nothing", 404, "no GET /v1/nothing in evpnd's management API")]
    [InlineData("POST", "/v1/summary", 405, "/v1/summary does not take POST")]
    [InlineData("DELETE", "/v1/neighbors/10.0.0.2", 405, "/v1/neighbors/10.0.0.2 does not take DELETE")]
    public void A_request_no_endpoint_serves_is_answered_with_a_message(string method, string path, int status, string message)
    {
        var answer = Send(method, path);
        Assert.Equal((status, "application/json; charset=utf-8"), (answer.Status, answer.ContentType));
        Assert.Equal(message, JsonSerializer.Deserialize<string>(answer.Body));
    }
}
