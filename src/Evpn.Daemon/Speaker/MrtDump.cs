using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using Evpn.Config.Options;
using Evpn.Session.Speaker;
using Evpn.Wire;
using Evpn.Wire.Model;
using Evpn.Wire.Mrt;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Evpn.Daemon.Speaker;

/// <summary>The optional MRT dump (`mrt-dump`, RFC 6396): every UPDATE received (BGP4MP_MESSAGE_AS4, or
/// BGP4MP_MESSAGE_AS4_ADDPATH of RFC 8050 when its routes carry add-path identifiers) and sent
/// (BGP4MP_MESSAGE_AS4_LOCAL), with microsecond timestamps (BGP4MP_ET), so a session can be replayed and read
/// later with `evpnctl decode FILE`. A file that would grow past its size limit is renamed FILE.1 (FILE.1 to
/// FILE.2, up to the number kept) and a new one begun, each starting with a whole record. A reload that changes
/// `mrt-dump` closes the file in use and opens the new one (or none).</summary>
/// <remarks>
///   Written on the speaker loop: records collect in a buffer that goes to the file once a second
///   (<see cref="Flush"/>), when it holds 64 KiB, before a rotation and at stop. Received UPDATEs are re-encoded
///   from the decoded value, which keeps the attribute order and flags as received. The dump is a diagnostic:
///   an I/O error (ENOSPC, EIO, a file that cannot be opened) disables it with one error log and a count in
///   <c>evpn_mrt_dump_failures_total</c>, cuts a half-written record off the file, and evpnd goes on without it.
/// </remarks>
public sealed class MrtDump : IDisposable
{
    private const int FlushThreshold = 64 * 1024;
    private const int MrtHeaderLength = 12;

    private static readonly Meter Meter = new("Evpn.Daemon.MrtDump");
    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("evpn.mrt.dump.failures",
        description: "MRT dumps disabled by an I/O error, by error (ENOSPC, EIO, ...)");
    private static readonly Counter<long> Rotations = Meter.CreateCounter<long>("evpn.mrt.dump.rotations",
        description: "MRT dump files closed at their size limit and renamed FILE.1");

    /// <summary>What `mrt-dump` says; null when there is no dump.</summary>
    private MrtDumpOptions? _options;
    private readonly ILogger _log;
    private readonly ArrayBufferWriter<byte> _message = new(4096);
    private readonly ArrayBufferWriter<byte> _record = new(4096);
    private readonly ArrayBufferWriter<byte> _pending = new(FlushThreshold);

    /// <summary>The open file; null once the dump is disabled.</summary>
    private SafeFileHandle? _file;

    /// <summary>Octets of whole records in the file.</summary>
    private long _written;

    public MrtDump(MrtDumpOptions? options, ILogger log)
    {
        _log = log;
        Reconfigure(options);
    }

    /// <summary>Ends the file in use (its records flushed whole) and begins the one <paramref name="options"/>
    /// names, which also restarts a dump an I/O error had disabled; the same options change nothing.</summary>
    public void Reconfigure(MrtDumpOptions? options)
    {
        // Every reload passes the configuration's dump; one that names the same dump keeps the file going.
        if (Equals(options, _options))
        {
            return;
        }
        Dispose();
        _options = options;
        _written = 0;
        _file = options is null ? null : OpenOrDisable(options);
    }

    public void Received(BgpPeer peer, UpdateMessage update) => Write(peer, update, local: false);

    public void Sent(BgpPeer peer, UpdateMessage update) => Write(peer, update, local: true);

    /// <summary>Writes the buffered records to the file.</summary>
    public void Flush()
    {
        if (_file is not { } file || _pending.WrittenCount == 0)
        {
            return;
        }
        try
        {
            RandomAccess.Write(file, _pending.WrittenSpan, _written);
            _written += _pending.WrittenCount;
        }
        catch (Exception e) when (IsFileError(e))
        {
            KeepWholeRecords(file);
            Disable(e);
        }
        finally
        {
            _pending.Clear();
        }
    }

    /// <summary>A write that failed part-way (the disk filled up) may have put some of the buffer in the file: the
    /// records it holds whole are kept, the half record after them is cut off by <see cref="Disable"/>.</summary>
    private void KeepWholeRecords(SafeFileHandle file)
    {
        long reached;
        try
        {
            reached = RandomAccess.GetLength(file) - _written;
        }
        catch (Exception e) when (IsFileError(e))
        {
            return;
        }
        var pending = _pending.WrittenSpan;
        var whole = 0;
        // RFC 6396 section 2: the common header ends with the length of what follows it.
        while (whole + MrtHeaderLength <= pending.Length)
        {
            var next = whole + MrtHeaderLength + (int)BinaryPrimitives.ReadUInt32BigEndian(pending[(whole + 8)..]);
            if (next > reached)
            {
                break;
            }
            whole = next;
        }
        _written += whole;
    }

    public void Dispose()
    {
        Flush();
        _file?.Dispose();
        _file = null;
    }

    private void Write(BgpPeer peer, UpdateMessage update, bool local)
    {
        if (_file is null || peer.Session is not { } session || peer.LocalEndPoint is not { } ours)
        {
            return;
        }
        _message.Clear();
        // A received UPDATE is written as it came: with the path identifiers of a family the peer sends them for.
        var addPath = !local && CarriesPathIds(update, session.Context);
        BgpEncoder.Encode(update, _message, addPath ? session.Context with { AddPathSend = session.Context.AddPathReceive } : session.Context);
        _record.Clear();
        MrtWriter.WriteMessageAs4(_record, DateTimeOffset.UtcNow, session.RemoteAs, session.LocalAs,
            peer.Address.Ip, Plain(ours.Address), _message.WrittenSpan, local, addPath: addPath);
        var size = _written + _pending.WrittenCount;
        if (size > 0 && size + _record.WrittenCount > _options!.MaxSize)
        {
            Flush();
            Rotate(_options);
            if (_file is null)
            {
                return;
            }
        }
        _pending.Write(_record.WrittenSpan);
        if (_pending.WrittenCount >= FlushThreshold)
        {
            Flush();
        }
    }

    /// <summary>RFC 7911: the UPDATE's MP_REACH or MP_UNREACH family is one the peer sends path identifiers for.</summary>
    private static bool CarriesPathIds(UpdateMessage update, DecodeContext context) =>
        (update.MpReach is { } reach && context.ReceivesPathId(reach.Family)) || (update.MpUnreach is { } unreach && context.ReceivesPathId(unreach.Family));

    /// <summary>FILE becomes FILE.1, FILE.n becomes FILE.n+1, what would be FILE.keep+1 is deleted; a new FILE begins.</summary>
    private void Rotate(MrtDumpOptions options)
    {
        if (_file is null)
        {
            return;
        }
        _file.Dispose();
        _file = null;
        var path = options.File;
        try
        {
            if (options.Keep == 0)
            {
                File.Delete(path);
            }
            else
            {
                File.Delete(Rotated(path, options.Keep));
                for (var n = options.Keep - 1; n >= 1; n--)
                {
                    if (File.Exists(Rotated(path, n)))
                    {
                        File.Move(Rotated(path, n), Rotated(path, n + 1));
                    }
                }
                File.Move(path, Rotated(path, 1));
            }
        }
        catch (Exception e) when (IsFileError(e))
        {
            Disable(e);
            return;
        }
        Rotations.Add(1);
        _written = 0;
        _file = OpenOrDisable(options);
    }

    private static string Rotated(string path, int n) => $"{path}.{n.ToString(CultureInfo.InvariantCulture)}";

    private SafeFileHandle? OpenOrDisable(MrtDumpOptions options)
    {
        try
        {
            var file = File.OpenHandle(options.File, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
            _written = RandomAccess.GetLength(file);
            return file;
        }
        catch (Exception e) when (IsFileError(e))
        {
            Disable(e);
            return null;
        }
    }

    private void Disable(Exception e)
    {
        if (_file is { } file)
        {
            try
            {
                // A write that failed part-way leaves half a record, which would end every reader there.
                RandomAccess.SetLength(file, _written);
            }
            catch (Exception ignored) when (IsFileError(ignored))
            {
                // The file stays as it is: a device such as /dev/full has no length to set.
            }
            file.Dispose();
            _file = null;
        }
        var error = ErrorName(e);
        Failures.Add(1, new KeyValuePair<string, object?>("error", error));
        _log.LogError("MRT dump {File} disabled ({Error}): {Message}; evpnd goes on without it, and writes it again after a restart "
            + "or a reload that changes mrt-dump", _options?.File, error, e.Message);
    }

    private static bool IsFileError(Exception e) => e is IOException or UnauthorizedAccessException or NotSupportedException;

    /// <summary>On Linux the runtime puts the errno of a failed file call in the exception's HResult.</summary>
    private static string ErrorName(Exception e) => e switch
    {
        UnauthorizedAccessException => "EACCES",
        IOException { HResult: 28 } => "ENOSPC",
        IOException { HResult: 5 } => "EIO",
        IOException { HResult: 122 } => "EDQUOT",
        IOException { HResult: 27 } => "EFBIG",
        IOException { HResult: 30 } => "EROFS",
        _ => e.GetType().Name,
    };

    /// <summary>A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d, and our end of their connection so too;
    /// MRT wants both ends in one family.</summary>
    private static IpAddr Plain(IPAddress address) => PeerAddress.FromSocket(address).Ip;
}
