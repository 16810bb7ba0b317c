namespace Evpn.Daemon.Hosting;

/// <summary>evpnd's command line: `evpnd [--config FILE]`, `evpnd --check-config FILE`.</summary>
public sealed record CommandLine(string ConfigPath, bool CheckOnly, bool ShowHelp, string? Error)
{
    /// <summary>`--version`: print the version and commit (<see cref="Evpn.Api.BuildVersion"/>) and exit.</summary>
    public bool ShowVersion { get; init; }

    public const string DefaultConfigPath = "/etc/evpnd/evpnd.yaml";

    public const string Usage = """
        usage: evpnd [--config FILE]       run the daemon (default /etc/evpnd/evpnd.yaml)
               evpnd --check-config FILE   validate FILE and exit (0 valid, 2 invalid)
               evpnd --version | --help
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var path = DefaultConfigPath;
        var check = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--config" or "-c" or "--check-config" when i + 1 < args.Count:
                    check |= args[i] == "--check-config";
                    path = args[++i];
                    break;
                case "--config" or "-c" or "--check-config":
                    return new CommandLine(path, check, false, $"{args[i]} needs a file name");
                case "--help" or "-h":
                    return new CommandLine(path, check, true, null);
                case "--version" or "-V":
                    return new CommandLine(path, check, false, null) { ShowVersion = true };
                default:
                    return new CommandLine(path, check, false, $"unknown argument '{args[i]}'");
            }
        }
        return new CommandLine(path, check, false, null);
    }
}
