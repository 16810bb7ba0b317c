using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Evpn.Api;

/// <summary>Calls evpnd's management API over its Unix socket. The socket's file permissions are the
/// access control: nothing listens on a network address.</summary>
public sealed class ManagementClient : IDisposable
{
    private readonly HttpClient _http;

    public ManagementClient(string socketPath, TimeSpan? timeout = null)
    {
        SocketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    throw new ManagementUnavailableException(socketPath, e);
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://evpnd"), Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    public string SocketPath { get; }

    /// <summary>The API's serializer options: web defaults, indented, the documents of <see cref="ApiJsonContext"/>.</summary>
    public static JsonSerializerOptions JsonOptions => ApiJsonContext.Default.Options;

    /// <summary>How often a request refused as busy (503: evpnd answers a limited number of requests at once and
    /// refused this one before doing anything) is sent again, after the delay evpnd asked for.</summary>
    public const int BusyRetries = 10;

    /// <summary>GET a document and return its JSON text as evpnd sent it.</summary>
    public async Task<string> GetJsonAsync(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, pathAndQuery, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>GET a document and copy its JSON text to <paramref name="output"/> as it arrives (for --json: a table
    /// of a million routes is streamed by evpnd and need not be held here either).</summary>
    public async Task CopyJsonAsync(string pathAndQuery, TextWriter output, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, pathAndQuery, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var buffer = new char[64 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    public async Task<T> GetAsync<T>(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, pathAndQuery, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(TypeInfo<T>(), cancellationToken)
               ?? throw new InvalidDataException($"evpnd answered {pathAndQuery} with an empty document");
    }

    public async Task<ActionResult> PostAsync(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, pathAndQuery, cancellationToken);
        var result = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ActionResult, cancellationToken);
        return result ?? new ActionResult(response.IsSuccessStatusCode, response.ReasonPhrase ?? string.Empty, []);
    }

    /// <summary>Releases duplicate MACs: of one VNI or all (null), one MAC or all (null).</summary>
    public async Task<ClearDuplicatesDocument> ClearDuplicatesAsync(uint? vni, string? mac, CancellationToken cancellationToken = default)
    {
        var pathAndQuery = ApiPaths.WithQuery(ApiPaths.ClearDuplicates, ("vni", vni?.ToString(CultureInfo.InvariantCulture)), ("mac", mac));
        using var response = await SendAsync(HttpMethod.Post, pathAndQuery, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ClearDuplicatesDocument, cancellationToken)
               ?? throw new InvalidDataException($"evpnd answered {pathAndQuery} with an empty document");
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Sends one request, again while evpnd answers 503 (busy) up to <see cref="BusyRetries"/> times; the
    /// body is read as it arrives, not buffered first.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await _http.SendAsync(new HttpRequestMessage(method, pathAndQuery), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || attempt == BusyRetries)
            {
                return response;
            }
            var delay = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(delay, cancellationToken);
        }
    }

    /// <summary>The generated serializer of a document type; a type the API does not have fails here, by name.</summary>
    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)JsonOptions.GetTypeInfo(typeof(T));

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new ManagementRequestException((int)response.StatusCode, body);
    }
}

/// <summary>evpnd is not listening on the socket (not running, wrong path, or no permission).</summary>
public sealed class ManagementUnavailableException(string socketPath, SocketException inner)
    : Exception(inner.SocketErrorCode switch
    {
        SocketError.AccessDenied => $"no permission to connect to evpnd's socket {socketPath} (run as root or a member of its group)",
        _ => $"evpnd is not answering on {socketPath} ({inner.Message}); is it running, and is that its management socket?",
    }, inner);

/// <summary>evpnd answered with an error status.</summary>
public sealed class ManagementRequestException(int status, string body)
    : Exception($"evpnd answered {status}: {body}")
{
    public int Status { get; } = status;
}
