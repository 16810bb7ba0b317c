using System.Net;
using System.Net.Sockets;
using Evpn.Session.Speaker;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Loopback;

/// <summary>A speaker whose peer connects out to a listener of the raw peer's address (and takes the raw peer's
/// connections in as well): what collision tests need. Disposing stops the speaker and closes the listener.</summary>
public sealed class ActiveEngine : IAsyncDisposable
{
    private ActiveEngine(SpeakerHost engine, BgpPeer peer, Socket listener, string rawAddress) =>
        (Engine, Peer, Listener, RawAddress) = (engine, peer, listener, rawAddress);

    public SpeakerHost Engine { get; }
    public BgpPeer Peer { get; }
    public Socket Listener { get; }
    public string RawAddress { get; }

    public void Deconstruct(out SpeakerHost engine, out BgpPeer peer, out Socket listener, out string rawAddress) =>
        (engine, peer, listener, rawAddress) = (Engine, Peer, Listener, RawAddress);

    public static async Task<ActiveEngine> StartAsync()
    {
        var (engineAddress, rawAddress) = LoopbackAddresses.NextPair();
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(rawAddress), 0));
        listener.Listen();
        var engine = new SpeakerHost(engineAddress, 65001, engineAddress);
        var peer = await engine.AddPeer(new Options.PeerOptions
        {
            Address = PeerAddress.Parse(rawAddress),
            RemoteAs = 65002,
            RemotePort = ((IPEndPoint)listener.LocalEndPoint!).Port,
            SourceAddress = engine.Address,
            HoldTime = 9,
        });
        return new ActiveEngine(engine, peer, listener, rawAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        Listener.Dispose();
    }
}
