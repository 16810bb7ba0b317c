namespace Evpn.Cli.Decode;

/// <summary>Prints decoded entries one by one, then finishes the output.</summary>
public interface IMessageRenderer
{
    void Render(DecodedEntry entry);
    void Complete();
}
