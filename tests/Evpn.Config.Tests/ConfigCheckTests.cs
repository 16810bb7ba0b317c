using Evpn.Config.Loading;

namespace Evpn.Config.Tests;

public class ConfigCheckTests
{
    [Fact]
    public void Valid_file_prints_a_summary_and_exits_0()
    {
        var path = RepositoryFiles.Path("configs", "leaf-ebgp-frr.yaml");
        var output = new StringWriter();
        var errors = new StringWriter();

        var code = ConfigCheck.Run(path, output, errors);

        Assert.Equal(0, code);
        Assert.Equal($"{path}: valid (AS 65001, router-id 10.0.0.1, 1 neighbor, 2 explicit VNIs){Environment.NewLine}", output.ToString());
        Assert.Empty(errors.ToString());
    }

    [Fact]
    public void Invalid_file_prints_every_error_and_exits_1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"evpnd-config-{Environment.ProcessId}-check.yaml");
        try
        {
            File.WriteAllText(path, "router:\n  asn: 0\n  local-vtep: nowhere\n");
            var output = new StringWriter();
            var errors = new StringWriter();

            var code = ConfigCheck.Run(path, output, errors);

            Assert.Equal(ConfigCheck.Invalid, code);
            Assert.Empty(output.ToString());
            Assert.Equal(
                [
                    $"{path}:2:3: router.asn: expected an AS number 1..4294967295, found '0'",
                    $"{path}:3:3: router.local-vtep: expected an IPv4 or IPv6 address, found 'nowhere'",
                    $"{path}: 2 errors",
                ],
                errors.ToString().TrimEnd().Split(Environment.NewLine));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
