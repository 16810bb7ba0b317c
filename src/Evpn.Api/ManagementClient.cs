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

    /// <summary>GET a document and return its JSON text as evpnd sent it (for --json).</summary>
    public async Task<string> GetJsonAsync(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(pathAndQuery, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public async Task<T> GetAsync<T>(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(pathAndQuery, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(TypeInfo<T>(), cancellationToken)
               ?? throw new InvalidDataException($"evpnd answered {pathAndQuery} with an empty document");
    }

    public async Task<ActionResult> PostAsync(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync(pathAndQuery, content: null, cancellationToken);
        var result = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ActionResult, cancellationToken);
        return result ?? new ActionResult(response.IsSuccessStatusCode, response.ReasonPhrase ?? string.Empty, []);
    }

    /// <summary>Releases duplicate MACs: of one VNI or all (null), one MAC or all (null).</summary>
    public async Task<ClearDuplicatesDocument> ClearDuplicatesAsync(uint? vni, string? mac, CancellationToken cancellationToken = default)
    {
        var query = string.Join('&', new[] { vni is { } n ? $"vni={n}" : null, mac is not null ? $"mac={Uri.EscapeDataString(mac)}" : null }.OfType<string>());
        var pathAndQuery = query.Length == 0 ? ApiPaths.ClearDuplicates : $"{ApiPaths.ClearDuplicates}?{query}";
        using var response = await _http.PostAsync(pathAndQuery, content: null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ClearDuplicatesDocument, cancellationToken)
               ?? throw new InvalidDataException($"evpnd answered {pathAndQuery} with an empty document");
    }

    public void Dispose() => _http.Dispose();

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
