using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Evpn.Api;
using Evpn.Cli.Management;
using Evpn.Wire.Model;

namespace Evpn.Cli.Commands;

/// <summary>What every command that talks to evpnd shares: the global <c>--socket</c> option, <c>--json</c>,
/// the exit codes, and one place where "evpnd is not running" and error answers become a message.</summary>
public static class ManagementCall
{
    /// <summary>The command did what was asked; audit found the data plane in sync.</summary>
    public const int Ok = 0;

    /// <summary>audit found differences; evpnd refused an action or answered with an error.</summary>
    public const int Failed = 1;

    /// <summary>evpnd could not be reached: not running, another socket, no permission, or no answer in time.</summary>
    public const int Unreachable = 3;

    public const string DefaultSocket = "/run/evpnd/evpnd.sock";

    /// <summary>How long evpnctl waits for an answer: a reload of a large file takes a few seconds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary><c>--socket PATH</c>, on the root command and every subcommand below it.</summary>
    public static Option<string> Socket { get; } = new("--socket")
    {
        Description = "evpnd's management socket (default $EVPND_SOCKET, else " + DefaultSocket + ")",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EVPND_SOCKET") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultSocket,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print evpnd's JSON document instead of a table" };

    /// <summary><c>--vni N</c>: a 24-bit VXLAN network identifier (RFC 7348 section 5).</summary>
    public static Option<uint?> Vni(string description) => new("--vni")
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var vni) && vni is >= 1 and <= 0xFF_FFFF)
            {
                return vni;
            }
            result.AddError($"--vni: expected 1..16777215, found '{text}'");
            return null;
        },
    };

    /// <summary>Connects, runs <paramref name="body"/>, and turns the ways a call can fail into one line on
    /// standard error and an exit code.</summary>
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken, Func<ManagementClient, TextWriter, CancellationToken, Task<int>> body)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var socket = parse.GetValue(Socket) ?? DefaultSocket;
        try
        {
            using var client = new ManagementClient(socket, Timeout);
            return await body(client, output, cancellationToken).ConfigureAwait(false);
        }
        catch (ManagementUnavailableException e)
        {
            await error.WriteLineAsync($"evpnctl: {e.Message}").ConfigureAwait(false);
            return Unreachable;
        }
        catch (HttpRequestException e) when (e.InnerException is ManagementUnavailableException unavailable)
        {
            await error.WriteLineAsync($"evpnctl: {unavailable.Message}").ConfigureAwait(false);
            return Unreachable;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"evpnctl: the call to evpnd on {socket} failed: {e.Message}").ConfigureAwait(false);
            return Unreachable;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"evpnctl: evpnd did not answer on {socket} within {Timeout.TotalSeconds:0} s").ConfigureAwait(false);
            return Unreachable;
        }
        catch (ManagementRequestException e)
        {
            await error.WriteLineAsync($"evpnctl: {e.Message}").ConfigureAwait(false);
            return Failed;
        }
    }

    /// <summary>A show command: the JSON evpnd sent as it is, or the document through its view.</summary>
    public static async Task<int> ShowAsync<T>(ManagementClient client, string pathAndQuery, bool json, Func<T, string> view, TextWriter output, CancellationToken cancellationToken)
    {
        if (json)
        {
            await client.CopyJsonAsync(pathAndQuery, output, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync().ConfigureAwait(false);
        }
        else
        {
            await output.WriteAsync(view(await client.GetAsync<T>(pathAndQuery, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        }
        return Ok;
    }

    /// <summary>An action (reload, neighbor ...): its answer as text or JSON; the exit code says whether it was done.</summary>
    public static async Task<int> ActAsync(ManagementClient client, string pathAndQuery, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        var result = await client.PostAsync(pathAndQuery, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(json ? JsonSerializer.Serialize(result, ApiJsonContext.Default.ActionResult) + "\n" : Views.Action(result)).ConfigureAwait(false);
        return result.Ok ? Ok : Failed;
    }

    public static string? Text(uint? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>Refuses a route distinguisher evpnd would not parse, before asking it.</summary>
    public static void ValidateRd(Option<string?> option) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<string?>() is { } text && !RouteDistinguisher.TryParse(text, out _))
        {
            result.AddError($"{option.Name}: '{text}' is not a route distinguisher (ASN:NN or A.B.C.D:NN)");
        }
    });
}
