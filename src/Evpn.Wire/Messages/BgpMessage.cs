namespace Evpn.Wire;

/// <summary>BGP message types, RFC 4271 section 4.1 and RFC 2918.</summary>
public enum MessageType : byte
{
    Open = 1,
    Update = 2,
    Notification = 3,
    Keepalive = 4,
    RouteRefresh = 5,
}

/// <summary>A decoded BGP message. Immutable with value equality.</summary>
public abstract record BgpMessage
{
    public abstract MessageType Type { get; }
}
