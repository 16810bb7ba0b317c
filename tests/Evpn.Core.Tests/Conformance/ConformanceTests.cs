namespace Evpn.Core.Tests.Conformance;

/// <summary>Every <c>Scenarios/*.scenario</c> file replayed through the core (see <see cref="ScenarioRunner"/>
/// for the format's semantics and <c>Scenarios/README.md</c> for its syntax).</summary>
public class ConformanceTests
{
    private static string Folder => System.IO.Path.Combine(AppContext.BaseDirectory, "Scenarios");

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.scenario").Order(StringComparer.Ordinal))
        {
            data.Add(System.IO.Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario_produces_exactly_the_expected_updates_and_intents(string file)
    {
        var runner = new ScenarioRunner();
        var failures = runner.Run(System.IO.Path.Combine(Folder, file));
        Assert.True(runner.Events > 0, $"{file} has no events");
        Assert.False(string.IsNullOrEmpty(runner.Name), $"{file} has no 'scenario:' line");
        Assert.True(failures.Count == 0, $"{runner.Name}:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public void There_are_at_least_twenty_scenarios()
    {
        Assert.True(Scenarios().Count >= 20, $"only {Scenarios().Count} scenarios");
    }
}
