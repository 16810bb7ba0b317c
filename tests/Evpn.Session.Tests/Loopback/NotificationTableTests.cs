using System.Buffers.Binary;
using Evpn.Session.Fsm;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;

namespace Evpn.Session.Tests.Loopback;

/// <summary>Every error a peer can make in each state where it can arrive, sent by a raw peer over loopback to a
/// running speaker, and the NOTIFICATION read off the wire (code, subcode, data) against what the RFC cited in
/// the row prescribes.</summary>
public class NotificationTableTests
{
    private const uint EngineAs = 65001;
    private const uint RawAs = 65002;

    /// <summary>One error: the state the engine is in when it arrives, the bytes, and the NOTIFICATION expected.</summary>
    public sealed record Row(BgpState State, Func<Addresses, byte[]> Bytes, NotificationCode Code, byte Subcode, byte[] Data, string Rfc)
    {
        /// <summary>The raw peer announces RFC 8654 extended messages in its OPEN.</summary>
        public bool RawExtended { get; init; }

        /// <summary>The engine announces RFC 8654 extended messages (its default).</summary>
        public bool EngineExtended { get; init; } = true;

        /// <summary>The AS the engine expects from the raw peer.</summary>
        public uint ExpectedAs { get; init; } = RawAs;
    }

    /// <summary>What a row's bytes may depend on: who is who, and how the session encodes by now.</summary>
    public sealed record Addresses(string Engine, string Raw, DecodeContext Context);

    private static readonly BgpState[] AfterOpenSent = [BgpState.OpenSent, BgpState.OpenConfirm, BgpState.Established];

    private static readonly Dictionary<string, Row> Rows = BuildRows();

    public static TheoryData<string> RowNames => [.. Rows.Keys];

    /// <summary>Every row by its test name (the sequence tests inject them after valid messages).</summary>
    internal static IReadOnlyDictionary<string, Row> All => Rows;

    private static Dictionary<string, Row> BuildRows()
    {
        var rows = new Dictionary<string, Row>();
        const NotificationCode header = NotificationCode.MessageHeaderError;
        const NotificationCode open = NotificationCode.OpenMessageError;
        const NotificationCode update = NotificationCode.UpdateMessageError;
        const NotificationCode fsm = NotificationCode.FiniteStateMachineError;

        // Header errors are found before the message is looked at, so they read the same in every state:
        // Bad Message Length carries the Length field, Bad Message Type the Type field (RFC 4271 6.1).
        var keepaliveBadMarker = Header(19, MessageType.Keepalive);
        keepaliveBadMarker[0] = 0xFE;
        (string What, byte[] Bytes, byte Subcode, byte[] Data, string Rfc)[] headerErrors =
        [
            ("marker not all ones", keepaliveBadMarker, MessageHeaderErrorSubcode.ConnectionNotSynchronized, [], "RFC 4271 6.1"),
            ("length 18", Header(18, MessageType.Keepalive), MessageHeaderErrorSubcode.BadMessageLength, [0, 18], "RFC 4271 6.1"),
            ("length 0", Header(0, MessageType.Update), MessageHeaderErrorSubcode.BadMessageLength, [0, 0], "RFC 4271 6.1"),
            ("UPDATE of 4097 octets without extended messages", Header(4097, MessageType.Update),
                MessageHeaderErrorSubcode.BadMessageLength, [0x10, 0x01], "RFC 4271 4.1, 6.1; RFC 8654 4"),
            ("KEEPALIVE of 20 octets", Message(MessageType.Keepalive, 0), MessageHeaderErrorSubcode.BadMessageLength, [0, 20], "RFC 4271 4.4, 6.1"),
            ("OPEN of 28 octets", Header(28, MessageType.Open), MessageHeaderErrorSubcode.BadMessageLength, [0, 28], "RFC 4271 4.2, 6.1"),
            ("UPDATE of 22 octets", Header(22, MessageType.Update), MessageHeaderErrorSubcode.BadMessageLength, [0, 22], "RFC 4271 4.3, 6.1"),
            ("NOTIFICATION of 20 octets", Header(20, MessageType.Notification), MessageHeaderErrorSubcode.BadMessageLength, [0, 20], "RFC 4271 4.5, 6.1"),
            ("ROUTE-REFRESH of 22 octets", Header(22, MessageType.RouteRefresh), MessageHeaderErrorSubcode.BadMessageLength, [0, 22], "RFC 2918 3; RFC 4271 6.1"),
            ("unknown type 6", Header(19, (MessageType)6), MessageHeaderErrorSubcode.BadMessageType, [6], "RFC 4271 6.1"),
        ];
        foreach (var state in AfterOpenSent)
        {
            foreach (var e in headerErrors)
            {
                rows[$"{state}: {e.What}"] = new(state, _ => e.Bytes, header, e.Subcode, e.Data, e.Rfc);
            }
        }
        rows["Established: OPEN of 4097 octets with extended messages"] = new(BgpState.Established, _ => Header(4097, MessageType.Open), header,
            MessageHeaderErrorSubcode.BadMessageLength, [0x10, 0x01], "RFC 8654 4 (not for OPEN and KEEPALIVE)") { RawExtended = true };
        rows["Established: UPDATE of 4097 octets, extended messages only announced by the peer"] = new(BgpState.Established,
            _ => Header(4097, MessageType.Update), header, MessageHeaderErrorSubcode.BadMessageLength, [0x10, 0x01],
            "RFC 8654 4 (the receiver did not announce it)") { RawExtended = true, EngineExtended = false };

        // OPEN errors: the first OPEN is checked in OpenSent.
        rows["OpenSent: OPEN version 3"] = OpenRow(a => Open(a) with { Version = 3 }, OpenMessageErrorSubcode.UnsupportedVersionNumber, [0, 4], "RFC 4271 6.2");
        rows["OpenSent: OPEN from the wrong AS"] = OpenRow(a => RawBgpPeer.Open(65003, a.Raw), OpenMessageErrorSubcode.BadPeerAs, [], "RFC 4271 6.2");
        rows["OpenSent: OPEN with BGP Identifier 0"] = OpenRow(a => Open(a) with { BgpIdentifier = 0 }, OpenMessageErrorSubcode.BadBgpIdentifier, [], "RFC 6286 2.2");
        rows["OpenSent: internal OPEN with our BGP Identifier"] = OpenRow(a => RawBgpPeer.Open(EngineAs, a.Engine),
            OpenMessageErrorSubcode.BadBgpIdentifier, [], "RFC 6286 2.2") with { ExpectedAs = EngineAs };
        rows["OpenSent: OPEN with hold time 1"] = OpenRow(a => Open(a) with { HoldTime = 1 }, OpenMessageErrorSubcode.UnacceptableHoldTime, [], "RFC 4271 6.2");
        rows["OpenSent: OPEN with hold time 2"] = OpenRow(a => Open(a) with { HoldTime = 2 }, OpenMessageErrorSubcode.UnacceptableHoldTime, [], "RFC 4271 6.2");
        rows["OpenSent: OPEN without a family in common"] = OpenRow(a => RawBgpPeer.Open(RawAs, a.Raw, 9, AfiSafi.Ipv6Unicast),
            OpenMessageErrorSubcode.UnsupportedCapability, [1, 4, 0, 25, 0, 70], "RFC 5492 5");
        rows["OpenSent: OPEN with an authentication parameter"] = new(BgpState.OpenSent, a => Message(MessageType.Open,
            [4, (byte)(RawAs >> 8), (byte)(RawAs & 0xFF), 0, 9, .. Identifier(a.Raw), 3, 1, 1, 0]), open,
            OpenMessageErrorSubcode.UnsupportedOptionalParameter, [], "RFC 4271 6.2; RFC 5492 4");
        rows["OpenSent: OPEN of 4097 octets"] = new(BgpState.OpenSent, _ => Header(4097, MessageType.Open), header,
            MessageHeaderErrorSubcode.BadMessageLength, [0x10, 0x01], "RFC 4271 6.1; RFC 8654 4");

        // After the OPEN was accepted, another OPEN is unexpected whatever it says.
        rows["OpenConfirm: a second OPEN"] = new(BgpState.OpenConfirm, a => Encode(Open(a), a), fsm,
            FsmErrorSubcode.UnexpectedMessageInOpenConfirm, [], "RFC 6608 4");
        rows["OpenConfirm: a second OPEN with version 3"] = new(BgpState.OpenConfirm, a => Encode(Open(a) with { Version = 3 }, a), fsm,
            FsmErrorSubcode.UnexpectedMessageInOpenConfirm, [], "RFC 6608 4");
        rows["Established: an OPEN"] = new(BgpState.Established, a => Encode(Open(a), a), fsm,
            FsmErrorSubcode.UnexpectedMessageInEstablished, [], "RFC 6608 4");
        rows["Established: an OPEN from the wrong AS"] = new(BgpState.Established, a => Encode(RawBgpPeer.Open(65003, a.Raw), a), fsm,
            FsmErrorSubcode.UnexpectedMessageInEstablished, [], "RFC 6608 4");

        // Messages that belong to an Established session, before it is.
        var refresh = (Func<Addresses, byte[]>)(a => Encode(new RouteRefreshMessage(AfiSafi.L2vpnEvpn), a));
        var evpnUpdate = (Func<Addresses, byte[]>)(a => Encode(TwoSpeakerTests.Type3("10.0.0.9", RawAs), a));
        rows["OpenSent: KEEPALIVE"] = new(BgpState.OpenSent, a => Encode(KeepaliveMessage.Instance, a), fsm,
            FsmErrorSubcode.UnexpectedMessageInOpenSent, [], "RFC 6608 4");
        rows["OpenSent: UPDATE"] = new(BgpState.OpenSent, evpnUpdate, fsm, FsmErrorSubcode.UnexpectedMessageInOpenSent, [], "RFC 6608 4");
        rows["OpenSent: malformed UPDATE"] = new(BgpState.OpenSent, _ => Update([], [], [], withdrawnLength: 5), fsm,
            FsmErrorSubcode.UnexpectedMessageInOpenSent, [], "RFC 6608 4");
        rows["OpenSent: ROUTE-REFRESH"] = new(BgpState.OpenSent, refresh, fsm, FsmErrorSubcode.UnexpectedMessageInOpenSent, [], "RFC 6608 4");
        rows["OpenConfirm: UPDATE"] = new(BgpState.OpenConfirm, evpnUpdate, fsm, FsmErrorSubcode.UnexpectedMessageInOpenConfirm, [], "RFC 6608 4");
        rows["OpenConfirm: malformed UPDATE"] = new(BgpState.OpenConfirm, _ => Update([], [], [], withdrawnLength: 5), fsm,
            FsmErrorSubcode.UnexpectedMessageInOpenConfirm, [], "RFC 6608 4");
        rows["OpenConfirm: ROUTE-REFRESH"] = new(BgpState.OpenConfirm, refresh, fsm, FsmErrorSubcode.UnexpectedMessageInOpenConfirm, [], "RFC 6608 4");

        // UPDATE errors that RFC 7606 still makes session-fatal, and a malformed ROUTE-REFRESH.
        byte[] mpUnreachEvpn = [0x80, AttributeType.MpUnreachNlri, 3, 0, 25, 70];
        byte[] unknownWellKnown = [0x40, 0xF0, 1, 0xAA];
        byte[] origin = [0x40, AttributeType.Origin, 1, 0];
        byte[] asPath = [0x40, AttributeType.AsPath, 0];
        byte[] nextHop = [0x40, AttributeType.NextHop, 4, 10, 0, 0, 1];
        rows["Established: Withdrawn Routes Length past the message"] = new(BgpState.Established, _ => Update([], [], [], withdrawnLength: 5),
            update, UpdateMessageErrorSubcode.MalformedAttributeList, [], "RFC 7606 4; RFC 4271 6.3");
        rows["Established: Total Path Attribute Length past the message"] = new(BgpState.Established, _ => Update([], origin, [], attributesLength: 5),
            update, UpdateMessageErrorSubcode.MalformedAttributeList, [], "RFC 7606 4; RFC 4271 6.3");
        rows["Established: MP_UNREACH_NLRI twice"] = new(BgpState.Established, _ => Update([], [.. mpUnreachEvpn, .. mpUnreachEvpn], []),
            update, UpdateMessageErrorSubcode.MalformedAttributeList, mpUnreachEvpn, "RFC 7606 3 (g)");
        rows["Established: unrecognized well-known attribute"] = new(BgpState.Established, _ => Update([], unknownWellKnown, []),
            update, UpdateMessageErrorSubcode.UnrecognizedWellKnownAttribute, unknownWellKnown, "RFC 4271 6.3");
        rows["Established: NLRI prefix longer than 32"] = new(BgpState.Established, _ => Update([], [.. origin, .. asPath, .. nextHop], [33, 10, 0, 0, 0, 0]),
            update, UpdateMessageErrorSubcode.InvalidNetworkField, [], "RFC 7606 5.3; RFC 4271 6.3");
        rows["Established: withdrawn prefix longer than 32"] = new(BgpState.Established, _ => Update([33, 10, 0, 0, 0, 0], [], []),
            update, UpdateMessageErrorSubcode.InvalidNetworkField, [], "RFC 7606 5.3; RFC 4271 6.3");
        byte[] mpReachBadEvpnRoute = [0x80, AttributeType.MpReachNlri, 21, 0, 25, 70, 4, 10, 0, 0, 1, 0, 2, 10, .. new byte[10]];
        rows["Established: EVPN route that cannot be parsed"] = new(BgpState.Established, _ => Update([], [.. origin, .. asPath, .. mpReachBadEvpnRoute], []),
            update, UpdateMessageErrorSubcode.OptionalAttributeError, mpReachBadEvpnRoute, "RFC 4760 7; RFC 7606 5.3 (AFI/SAFI disable, escalated)");
        var badRefresh = Message(MessageType.RouteRefresh, 0, 25, (byte)RouteRefreshSubtype.BeginningOfRefresh, 70, 0);
        rows["Established: Beginning-of-RR of 5 octets"] = new(BgpState.Established, _ => badRefresh, NotificationCode.RouteRefreshMessageError,
            RouteRefreshErrorSubcode.InvalidMessageLength, badRefresh, "RFC 7313 5");
        // The test name carries the RFC section the row follows.
        return rows.ToDictionary(r => $"{r.Key} ({r.Value.Rfc})", r => r.Value);
    }

    [Theory]
    [MemberData(nameof(RowNames))]
    public async Task Error_is_answered_with_the_notification_the_rfc_prescribes(string name)
    {
        var row = Rows[name];
        var (engine, peer, rawAddress) = await EngineForAsync(row);
        await using (engine)
        {
            await using var raw = await RawPeerTests.ConnectAsync(engine, rawAddress);
            var addresses = await IntoStateAsync(engine, peer, raw, rawAddress, row);

            await raw.SendRawAsync(row.Bytes(addresses));

            var notification = await raw.ExpectAsync<NotificationMessage>();
            Assert.Equal((row.Code, row.Subcode), (notification.Code, notification.Subcode));
            Assert.Equal(row.Data, notification.Data.ToArray());
            Assert.Null(await raw.ReceiveAsync());
            Assert.Equal(notification, await engine.Speaker.InvokeAsync(_ => peer.LastNotificationSent));
        }
    }

    /// <summary>A speaker with a passive peer for the raw address, set up as the row needs it.</summary>
    internal static Task<(SpeakerHost Engine, BgpPeer Peer, string RawAddress)> EngineForAsync(Row row) =>
        RawPeerTests.PassiveEngineAsync(o => o with { ExtendedMessage = row.EngineExtended }, remoteAs: row.ExpectedAs);

    /// <summary>Brings the engine's session with <paramref name="raw"/> to the row's state (OPENs and KEEPALIVEs
    /// exchanged as far as it takes); returns the addresses with the session's encoding.</summary>
    internal static async Task<Addresses> IntoStateAsync(SpeakerHost engine, BgpPeer peer, RawBgpPeer raw, string rawAddress, Row row)
    {
        var addresses = new Addresses(engine.Address.ToString(), rawAddress, DecodeContext.Default);
        var theirs = await raw.ExpectAsync<OpenMessage>();
        if (row.State != BgpState.OpenSent)
        {
            var ours = Open(addresses, row.RawExtended);
            await raw.SendAsync(ours);
            raw.Context = DecodeContext.Negotiate(ours, theirs);
            await raw.ExpectAsync<KeepaliveMessage>();
            if (row.State == BgpState.Established)
            {
                await raw.SendAsync(KeepaliveMessage.Instance);
                await engine.Sink.WaitFor<PeerEstablished>(e => e.Peer == peer);
            }
        }
        Assert.Equal(row.State, await engine.Speaker.InvokeAsync(_ => peer.State));
        return addresses with { Context = raw.Context };
    }

    [Fact]
    public async Task Update_over_4096_octets_is_accepted_once_both_sides_announced_extended_messages()
    {
        var (engine, peer, rawAddress) = await RawPeerTests.PassiveEngineAsync();
        await using (engine)
        {
            await using var raw = await RawPeerTests.ConnectAsync(engine, rawAddress);
            var ours = Open(new Addresses(engine.Address.ToString(), rawAddress, DecodeContext.Default), extended: true);
            await raw.HandshakeAsync(ours);
            await engine.Sink.WaitFor<PeerEstablished>();
            Assert.True(raw.Context.ExtendedMessage);
            // An unknown optional transitive attribute of 5,000 octets (extended length) makes the UPDATE 5,027 octets.
            byte[] big = [0xD0, 0xF1, 0x13, 0x88, .. new byte[5000]];

            await raw.SendRawAsync(Update([], big, []));

            var received = await engine.Sink.WaitFor<UpdateReceived>();
            Assert.Null(received.Error);
            Assert.Equal(BgpState.Established, await engine.Speaker.InvokeAsync(_ => peer.State));
            Assert.Null(await engine.Speaker.InvokeAsync(_ => peer.LastNotificationSent));
        }
    }

    [Theory]
    [InlineData("OPEN version 3", NotificationCode.OpenMessageError, OpenMessageErrorSubcode.UnsupportedVersionNumber, new byte[] { 0, 4 })]
    [InlineData("OPEN from the wrong AS", NotificationCode.OpenMessageError, OpenMessageErrorSubcode.BadPeerAs, new byte[0])]
    [InlineData("KEEPALIVE", NotificationCode.FiniteStateMachineError, FsmErrorSubcode.UnexpectedMessageInOpenSent, new byte[0])]
    public async Task Colliding_connection_is_answered_as_in_open_sent_and_the_session_goes_on_without_it(string what, NotificationCode code, byte subcode, byte[] data)
    {
        // RFC 4271 6.8: until collision resolution the second connection runs its own OpenSent.
        var (engineAddress, rawAddress) = LoopbackAddresses.NextPair();
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork,
            System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(rawAddress), 0));
        listener.Listen();
        await using var engine = new SpeakerHost(engineAddress, EngineAs, engineAddress);
        await engine.AddPeer(new Options.PeerOptions
        {
            Address = PeerAddress.Parse(rawAddress),
            RemoteAs = RawAs,
            RemotePort = ((System.Net.IPEndPoint)listener.LocalEndPoint!).Port,
            SourceAddress = engine.Address,
            HoldTime = 9,
        });
        await using var primary = await RawBgpPeer.AcceptAsync(listener);
        await primary.ExpectAsync<OpenMessage>();
        await using var candidate = await RawPeerTests.ConnectAsync(engine, rawAddress);
        await candidate.ExpectAsync<OpenMessage>();
        var addresses = new Addresses(engineAddress, rawAddress, DecodeContext.Default);

        await candidate.SendAsync(what switch
        {
            "OPEN version 3" => Open(addresses) with { Version = 3 },
            "OPEN from the wrong AS" => RawBgpPeer.Open(65003, rawAddress),
            _ => KeepaliveMessage.Instance,
        });

        var notification = await candidate.ExpectAsync<NotificationMessage>();
        Assert.Equal((code, subcode), (notification.Code, notification.Subcode));
        Assert.Equal(data, notification.Data.ToArray());
        Assert.Null(await candidate.ReceiveAsync());
        await primary.SendAsync(Open(addresses));
        await primary.ExpectAsync<KeepaliveMessage>();
        await primary.SendAsync(KeepaliveMessage.Instance);
        await engine.Sink.WaitFor<PeerEstablished>();
    }

    private static Row OpenRow(Func<Addresses, OpenMessage> open, byte subcode, byte[] data, string rfc) =>
        new(BgpState.OpenSent, a => Encode(open(a), a), NotificationCode.OpenMessageError, subcode, data, rfc);

    private static OpenMessage Open(Addresses a, bool extended = false)
    {
        var open = RawBgpPeer.Open(RawAs, a.Raw);
        return extended ? OpenMessage.Create(RawAs, open.HoldTime, open.BgpIdentifier, [.. open.Capabilities, new ExtendedMessageCapability()]) : open;
    }

    private static byte[] Encode(BgpMessage message, Addresses a) => BgpEncoder.Encode(message, a.Context);

    private static byte[] Identifier(string address) => System.Net.IPAddress.Parse(address).GetAddressBytes();

    /// <summary>A bare header claiming <paramref name="length"/> octets: header errors are found before the body.</summary>
    private static byte[] Header(int length, MessageType type)
    {
        var bytes = new byte[BgpFraming.HeaderLength];
        bytes.AsSpan(0, BgpFraming.MarkerLength).Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(BgpFraming.MarkerLength), (ushort)length);
        bytes[18] = (byte)type;
        return bytes;
    }

    private static byte[] Message(MessageType type, params byte[] body)
    {
        var bytes = Header(BgpFraming.HeaderLength + body.Length, type);
        return [.. bytes, .. body];
    }

    /// <summary>An UPDATE from its three fields; the two length fields are the true ones unless given.</summary>
    private static byte[] Update(byte[] withdrawn, byte[] attributes, byte[] nlri, int? withdrawnLength = null, int? attributesLength = null)
    {
        var body = new byte[4 + withdrawn.Length + attributes.Length + nlri.Length];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)(withdrawnLength ?? withdrawn.Length));
        withdrawn.CopyTo(body, 2);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2 + withdrawn.Length), (ushort)(attributesLength ?? attributes.Length));
        attributes.CopyTo(body, 4 + withdrawn.Length);
        nlri.CopyTo(body, 4 + withdrawn.Length + attributes.Length);
        return Message(MessageType.Update, body);
    }
}
