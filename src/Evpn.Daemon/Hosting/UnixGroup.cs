using System.Runtime.InteropServices;

namespace Evpn.Daemon.Hosting;

/// <summary>The management socket's group (management.socket-group): looked up by name through the C library,
/// so that groups from NSS (LDAP, sssd) are found as well as those in /etc/group.</summary>
internal static partial class UnixGroup
{
    /// <summary>The group's id, or a clear error naming the key when no such group exists.</summary>
    public static uint Resolve(string name)
    {
        var group = GetGroupByName(name);
        if (group == IntPtr.Zero)
        {
            throw new SocketGroupException($"management.socket-group: there is no group '{name}' (create it with groupadd, or remove the key)");
        }
        // struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; char **gr_mem; }
        return (uint)Marshal.ReadInt32(group, 2 * IntPtr.Size);
    }

    /// <summary>Gives <paramref name="path"/> to group <paramref name="gid"/>, its owner unchanged.</summary>
    public static void Chown(string path, uint gid)
    {
        if (ChangeOwner(path, uint.MaxValue, gid) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new UnauthorizedAccessException($"cannot give {path} to group {gid}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    [LibraryImport("libc", EntryPoint = "getgrnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetGroupByName(string name);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int ChangeOwner(string path, uint owner, uint group);
}

/// <summary>management.socket-group names a group this machine does not have: a configuration error found at start.</summary>
internal sealed class SocketGroupException(string message) : Exception(message);
