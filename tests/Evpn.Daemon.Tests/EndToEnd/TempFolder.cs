namespace Evpn.Testing.EndToEnd;

/// <summary>A folder under /tmp for one test's configs and sockets, removed on dispose. Short paths: a
/// Unix socket path must fit in 108 bytes.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("evctl-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
