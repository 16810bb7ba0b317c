using System.Text;
using Evpn.Daemon.Management;
using Microsoft.AspNetCore.Http;

namespace Evpn.Fuzz.Api;

/// <summary>evpnd's management endpoints (<see cref="ManagementEndpoints"/>, as its Kestrel runs them on the
/// management socket) answering requests in process: AFL++ runs inputs in a loop in one process.</summary>
public sealed class ApiServer
{
    private ApiServer(RecordingView view)
    {
        View = view;
    }

    public RecordingView View { get; }

    public static ApiServer Start() => new(new RecordingView());

    /// <summary>One request as Kestrel hands it over: method, path (percent-decoded), query string (raw) and body.</summary>
    public Answer Send(ApiRequest request)
    {
        View.Clear();
        var context = new DefaultHttpContext();
        context.Request.Method = request.Method;
        context.Request.Path = PathString.FromUriComponent(request.Path);
        context.Request.QueryString = new QueryString(request.Query);
        context.Request.Body = new MemoryStream(request.Body);
        var body = new MemoryStream();
        context.Response.Body = body;
        ManagementEndpoints.AnswerAsync(context, View).GetAwaiter().GetResult();
        return new Answer(context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(body.ToArray()), View.Rendered);
    }

    /// <param name="Rendered">What the view was asked, as evpnctl would ask it; null when the request did not reach it.</param>
    public sealed record Answer(int Status, string? ContentType, string Body, (string Method, string PathAndQuery)? Rendered);
}
