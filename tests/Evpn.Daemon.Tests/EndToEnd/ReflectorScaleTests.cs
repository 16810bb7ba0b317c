using Evpn.LoadGen;
using Evpn.Wire.Model;

namespace Evpn.Testing.EndToEnd;

/// <summary>evpnd as route reflector of many real client sessions (evpn-loadgen's reflector mode): every
/// client of a listen range ends with exactly the reflected table, every route but its own, each with its
/// originator's ORIGINATOR_ID and a CLUSTER_LIST (RFC 4456 section 8), and the End-of-RIB. (evpnd's own type-3
/// route for its VNI comes too: outside the plan, counted as foreign.)</summary>
[Collection(EvpndCollection.Name)]
public sealed class ReflectorScaleTests
{
    private const int Clients = 20;
    private const int Originators = 4;
    private const int Routes = 1000;

    [RequiresFact(Requirement.Root)]
    public async Task Every_client_of_a_listen_range_gets_every_route_but_its_own_reflected()
    {
        await using var evpnd = await SingleDaemon.StartAsync("reflector", LoopbackAddresses.Next(), $"""
              - listen-range: 127.250.0.0/16
                remote-as: {SingleDaemon.Asn}
                route-reflector-client: true
            """);
        var options = evpnd.PeerOptions(asn: SingleDaemon.Asn, routes: Routes) with
        {
            Sessions = Clients, Originators = Originators, FirstLocal = IpAddr.Parse("127.250.0.1"),
            Vnis = 10, Vteps = 2, TimeoutSeconds = 120,
        };
        var output = new StringWriter();
        await using var run = new ReflectorRun(LoadPlan.Build(options), output);

        var exitCode = await run.RunAsync(CancellationToken.None);

        Assert.True(exitCode == 0, $"{output}\n{evpnd.Process.Describe()}");
        var total = Routes + options.Type3Count;
        for (var c = 0; c < Clients; c++)
        {
            var view = run.Views[c];
            var own = c < Originators ? Routes / Originators + (c == 0 ? options.Type3Count : 0) : 0;
            Assert.Equal(total - own, view.Expected);
            Assert.Equal(view.Expected, view.Held);
            Assert.True(view.HasEndOfRib);
            Assert.Equal(0, view.OwnRoutesBack);
            Assert.Equal(0, view.BadReflectionAttributes);
        }
        Assert.Matches($@"event=reflected sessions={Clients} originators={Originators} routes={total} converged={Clients}/{Clients} last_ms=[\d.]+ median_ms=[\d.]+", output.ToString());
    }
}
