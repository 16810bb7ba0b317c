using System.CommandLine;
using Evpn.Cli.Decode;

namespace Evpn.Cli.Commands;

/// <summary><c>evpnctl decode FILE|--hex HEX [--json]</c>: prints the BGP messages of an MRT dump
/// (RFC 6396 BGP4MP/BGP4MP_ET, as FRR's <c>dump bgp</c> and GoBGP write), of a raw stream of BGP
/// messages, or of hex, as text or JSON, with every RFC 7606 error found.</summary>
public static class DecodeCommand
{
    /// <summary>Exit code when every message decoded without error.</summary>
    public const int Ok = 0;

    /// <summary>Exit code when the input could not be read.</summary>
    public const int InputError = 1;

    /// <summary>Exit code when at least one message has an error.</summary>
    public const int MalformedMessages = 2;

    public static Command Create()
    {
        var file = new Argument<FileInfo?>("FILE")
        {
            Description = "An MRT file (BGP4MP / BGP4MP_ET records) or a file of raw BGP messages",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var hex = new Option<string?>("--hex") { Description = "One or more BGP messages as hex (spaces and colons are ignored)" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var as2 = new Option<bool>("--as2") { Description = "Raw/hex input: AS numbers in AS_PATH and AGGREGATOR are 2 octets (default 4)" };
        var addPath = new Option<bool>("--add-path") { Description = "Raw/hex input: NLRI carry add-path identifiers (RFC 7911)" };
        var command = new Command("decode", "Decode BGP messages from an MRT file, a raw message file or hex");
        command.Arguments.Add(file);
        command.Options.Add(hex);
        command.Options.Add(json);
        command.Options.Add(as2);
        command.Options.Add(addPath);
        command.SetAction(parse => Run(parse.GetValue(file), parse.GetValue(hex), parse.GetValue(json), parse.GetValue(as2), parse.GetValue(addPath), Console.Out, Console.Error));
        return command;
    }

    public static int Run(FileInfo? file, string? hex, bool json, bool as2, bool addPath, TextWriter output, TextWriter error)
    {
        if ((file is null) == (hex is null))
        {
            error.WriteLine("evpnctl decode: give either FILE or --hex HEX");
            return InputError;
        }
        byte[] bytes;
        try
        {
            bytes = hex is not null ? HexInput.Parse(hex) : File.ReadAllBytes(file!.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            error.WriteLine($"evpnctl decode: {e.Message}");
            return InputError;
        }
        var rawContext = MessageSource.RawContext(fourOctetAs: !as2, addPath);
        var source = hex is not null || MessageSource.LooksLikeBgpStream(bytes)
            ? MessageSource.FromBgpStream(bytes, rawContext)
            : MessageSource.FromMrt(bytes);
        var anyError = false;
        IMessageRenderer renderer = json ? new JsonRenderer(output) : new TextRenderer(output);
        foreach (var entry in source)
        {
            renderer.Render(entry);
            anyError |= entry.Problem is not null || !entry.Result.Errors.IsEmpty;
        }
        renderer.Complete();
        return anyError ? MalformedMessages : Ok;
    }
}
