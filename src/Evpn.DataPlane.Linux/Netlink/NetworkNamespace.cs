using System.Runtime.InteropServices;

namespace Evpn.DataPlane.Linux.Netlink;

/// <summary>Runs code inside a named network namespace (/run/netns/NAME, as `ip netns add` creates it).</summary>
/// <remarks>
///   setns(2) moves only the calling thread, and a socket stays bound to the namespace it was created
///   in. So sockets are created on a short-lived thread that enters the namespace, and that thread
///   goes back to where it came from before it ends; no other thread of the process ever moves.
/// </remarks>
public static class NetworkNamespace
{
    public static T Run<T>(string? name, Func<T> action)
    {
        if (string.IsNullOrEmpty(name))
        {
            return action();
        }
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = RunOnThisThread(name, action);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = "netns " + name,
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"network namespace {name}: {failure.Message}", failure);
        }
        return result;
    }

    private static T RunOnThisThread<T>(string name, Func<T> action)
    {
        var original = OpenOrThrow("/proc/thread-self/ns/net");
        try
        {
            var target = OpenOrThrow("/run/netns/" + name);
            try
            {
                SetNamespaceOrThrow(target, name);
            }
            finally
            {
                LibC.close(target);
            }
            try
            {
                return action();
            }
            finally
            {
                SetNamespaceOrThrow(original, "the original namespace");
            }
        }
        finally
        {
            LibC.close(original);
        }
    }

    private static int OpenOrThrow(string path)
    {
        var fd = LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"open {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        return fd;
    }

    private static void SetNamespaceOrThrow(int fd, string what)
    {
        if (LibC.setns(fd, LibC.CLONE_NEWNET) != 0)
        {
            throw new IOException($"setns into {what}: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }
}
