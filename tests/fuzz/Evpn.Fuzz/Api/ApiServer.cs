using System.Text;
using Evpn.Daemon.Management;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evpn.Fuzz.Api;

/// <summary>evpnd's management endpoints (<see cref="ManagementEndpoints"/>, with the daemon's JSON settings) on an
/// in-process server, started once per process: AFL++ runs inputs in a loop in one process.</summary>
public sealed class ApiServer
{
    private readonly TestServer _server;

    private ApiServer(TestServer server, RecordingView view)
    {
        _server = server;
        View = view;
    }

    public RecordingView View { get; }

    public static ApiServer Start()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.ConfigureHttpJsonOptions(ManagementEndpoints.ConfigureJson);
        var app = builder.Build();
        var view = new RecordingView();
        ManagementEndpoints.UseErrorMessages(app);
        ManagementEndpoints.Map(app, () => view);
        app.StartAsync().GetAwaiter().GetResult();
        return new ApiServer(app.GetTestServer(), view);
    }

    /// <summary>One request as Kestrel hands it over: method, path (percent-decoded), query string (raw) and body.</summary>
    public Answer Send(ApiRequest request)
    {
        View.Clear();
        var context = _server.SendAsync(c =>
        {
            c.Request.Method = request.Method;
            c.Request.Path = PathString.FromUriComponent(request.Path);
            c.Request.QueryString = new QueryString(request.Query);
            c.Request.Body = new MemoryStream(request.Body);
        }).GetAwaiter().GetResult();
        using var reader = new StreamReader(context.Response.Body, Encoding.UTF8);
        return new Answer(context.Response.StatusCode, context.Response.ContentType, reader.ReadToEnd(), View.Rendered);
    }

    /// <param name="Rendered">What the view was asked, as evpnctl would ask it; null when the request did not reach it.</param>
    public sealed record Answer(int Status, string? ContentType, string Body, (string Method, string PathAndQuery)? Rendered);
}
