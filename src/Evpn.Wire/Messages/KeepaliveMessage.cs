namespace Evpn.Wire;

/// <summary>KEEPALIVE, RFC 4271 section 4.4: the 19-octet header alone.</summary>
public sealed record KeepaliveMessage : BgpMessage
{
    public static readonly KeepaliveMessage Instance = new();

    public override MessageType Type => MessageType.Keepalive;
}
