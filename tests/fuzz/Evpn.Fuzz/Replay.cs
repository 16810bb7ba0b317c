using Evpn.Fuzz.Targets;

namespace Evpn.Fuzz;

/// <summary>Runs saved inputs through a target once each, without AFL: the committed corpus in the tests and
/// a crash AFL found when reproducing it.</summary>
public static class Replay
{
    public static IEnumerable<string> Inputs(IEnumerable<string> paths) =>
        paths.SelectMany<string, string>(p => Directory.Exists(p)
            ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
            : [p]);

    /// <summary>Returns the number of inputs that failed; each is written to <paramref name="log"/> with its exception.</summary>
    public static int Run(IFuzzTarget target, IEnumerable<string> paths, TextWriter log)
    {
        var failures = 0;
        foreach (var file in Inputs(paths))
        {
            if (Failure(target, File.ReadAllBytes(file)) is { } failure)
            {
                failures++;
                log.WriteLine($"{file}: {failure}");
            }
        }
        return failures;
    }

    /// <summary>The exception the target throws on <paramref name="input"/>, or null when it passes.</summary>
    public static Exception? Failure(IFuzzTarget target, byte[] input)
    {
        try
        {
            target.Run(input);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
