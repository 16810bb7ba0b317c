using System.CommandLine;
using System.CommandLine.Invocation;
using Evpn.Api;

namespace Evpn.Cli.Commands;

/// <summary>`evpnctl --version` prints the same line as `evpnd --version` (version and commit) in place of
/// System.CommandLine's raw informational version.</summary>
public sealed class VersionAction : SynchronousCommandLineAction
{
    public static void Install(RootCommand root)
    {
        foreach (var option in root.Options.OfType<VersionOption>())
        {
            option.Action = new VersionAction();
        }
    }

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(BuildVersion.Line("evpnctl"));
        return 0;
    }
}
