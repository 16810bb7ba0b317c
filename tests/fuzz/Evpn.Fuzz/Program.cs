using Evpn.Fuzz;
using Evpn.Fuzz.Targets;
using SharpFuzz;

// evpn-fuzz TARGET: run TARGET under AFL++ (afl-fuzz starts this with the instrumented assemblies).
// evpn-fuzz replay TARGET PATH...: run each input file (or every file of each folder) once, uninstrumented,
// and print the inputs that fail; exit status 1 when one does.
if (args is ["replay", var name, .. var paths] && FuzzTargets.Find(name) is { } replayed)
{
    var failures = Replay.Run(replayed, paths, Console.Out);
    return failures == 0 ? 0 : 1;
}
if (args is [var targetName] && FuzzTargets.Find(targetName) is { } target)
{
    Fuzzer.Run(stream =>
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        target.Run(memory.GetBuffer().AsSpan(0, (int)memory.Length));
    });
    return 0;
}
Console.Error.WriteLine($"usage: evpn-fuzz TARGET | evpn-fuzz replay TARGET PATH...; targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
return 2;
