namespace Evpn.Config.Options;

/// <summary>`ethernet-tag:` as written: `vni` (the VNI itself, RFC 8365 section 5.1.3) or a number.</summary>
public readonly record struct EthernetTagChoice(bool FollowsVni, uint Value)
{
    public static readonly EthernetTagChoice Zero = new(false, 0);
    public static readonly EthernetTagChoice Vni = new(true, 0);

    public uint Resolve(uint vni) => FollowsVni ? vni : Value;
}
