using Evpn.DataPlane.Linux.Netlink;
using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Kernel;

/// <summary>evpnd's FDB nexthop groups: one per remote VTEP that remote MACs point to (`ip nexthop add id M via
/// VTEP fdb; ip nexthop add id G group M fdb`, then `bridge fdb add MAC ... nhid G`), instead of a destination
/// in each FDB entry.</summary>
/// <remarks>
///   Why: an FDB entry with its own destination gets a per-CPU route cache allocated with it, a large part
///   of the kernel's work per entry in a table load; an entry pointing to a nexthop group has none.
///   The cost moves to forwarding: the VXLAN driver looks up the route to a group's VTEP per packet.
///   The kernel takes only a group (not a single nexthop) in an FDB entry, so each VTEP has a member and a
///   group of one. Deleting a group deletes the FDB entries that use it, so a VTEP's pair goes only once no
///   entry evpnd owns points there (<see cref="Release"/>).
///   The objects carry <see cref="Protocol"/>, so a restarted evpnd adopts its own (the entries that point to
///   them keep forwarding) and leaves FRR's and the operator's alone. Owned by the intent executor's thread.
/// </remarks>
internal sealed class VtepNexthops
{
    /// <summary>nhm_protocol of evpnd's nexthop objects; none of FRR's (11, 186-198) nor the kernel's (0-4).</summary>
    public const byte Protocol = 238;

    /// <summary>The first id tried, far above the ids FRR's zebra and its daemons allocate (all below 250,000,000,
    /// lib/zclient.h). A VTEP's member takes an even id and its group the next one.</summary>
    private const uint FirstId = 0xEE00_0000;

    /// <summary>Ids tried for one VTEP before giving up when they are taken by others (EEXIST).</summary>
    private const int MaxIdAttempts = 64;

    private readonly NetlinkSocket _socket;
    private readonly Dictionary<IpAddr, (uint Member, uint Group)> _byVtep = [];
    private readonly NetlinkWriter _writer = new(256);
    private uint _nextId = FirstId;

    public VtepNexthops(NetlinkSocket socket) => _socket = socket;

    /// <summary>Takes over the pairs a previous run left (from a dump of the namespace's nexthops) and deletes
    /// the rest of evpnd's objects (a member whose group was never made).</summary>
    public void Adopt(IReadOnlyDictionary<uint, NexthopRecord> nexthops, ref uint sequence)
    {
        var ours = nexthops.Values.Where(n => n.Protocol == Protocol).ToList();
        var paired = new HashSet<uint>();
        foreach (var (group, vtep) in NexthopRecord.VtepsByGroup(nexthops))
        {
            var member = nexthops[group].Members[0];
            if (nexthops[group].Protocol != Protocol || nexthops[member].Protocol != Protocol || !_byVtep.TryAdd(vtep, (member, group)))
            {
                continue;
            }
            paired.Add(member);
            paired.Add(group);
        }
        // Groups first: deleting a member empties its group, which the kernel then deletes on its own.
        foreach (var leftover in ours.Where(n => !paired.Contains(n.Id)).OrderBy(n => n.IsGroup ? 0 : 1))
        {
            Delete(leftover.Id, ref sequence);
        }
        if (ours.Count > 0)
        {
            _nextId = Math.Max(_nextId, (ours.Max(n => n.Id) + 2) & ~1u);
        }
    }

    /// <summary>The group of <paramref name="vtep"/>, made now when it has none. On failure, why.</summary>
    public bool TryGroup(IpAddr vtep, ref uint sequence, out uint group, out IntentOutcome failure)
    {
        failure = IntentOutcome.Ok;
        if (_byVtep.TryGetValue(vtep, out var pair))
        {
            group = pair.Group;
            return true;
        }
        group = 0;
        for (var attempt = 0; attempt < MaxIdAttempts; attempt++)
        {
            var member = NextId();
            // The member alone first: were its id someone else's, a group made with it would lead there.
            var (error, detail) = Create(member, vtep, group: 0, ref sequence);
            if (error == Errno.EEXIST)
            {
                continue;
            }
            if (error != 0)
            {
                failure = new IntentOutcome(error, $"nexthop for VTEP {vtep}: {detail}");
                return false;
            }
            (error, detail) = Create(member + 1, vtep, group: member, ref sequence);
            if (error != 0)
            {
                Delete(member, ref sequence);
                if (error == Errno.EEXIST)
                {
                    continue;
                }
                failure = new IntentOutcome(error, $"nexthop group for VTEP {vtep}: {detail}");
                return false;
            }
            _byVtep[vtep] = (member, member + 1);
            group = member + 1;
            return true;
        }
        failure = new IntentOutcome(Errno.EEXIST, $"no free nexthop id for VTEP {vtep} after {MaxIdAttempts} tries");
        return false;
    }

    /// <summary>Deletes the pair of every VTEP that <paramref name="inUse"/> says no entry points to any more.</summary>
    public void Release(Func<IpAddr, bool> inUse, ref uint sequence)
    {
        foreach (var (vtep, pair) in _byVtep.Where(kv => !inUse(kv.Key)).ToList())
        {
            // A pair the kernel would not delete stays known, and is tried again after the next batch.
            if (Delete(pair.Group, ref sequence) && Delete(pair.Member, ref sequence))
            {
                _byVtep.Remove(vtep);
            }
        }
    }

    /// <summary>Forgets the pair of <paramref name="vtep"/> when its group is gone from the kernel (someone
    /// deleted it, and with it the FDB entries using it), so the next install makes a new one. Returns whether
    /// it was gone.</summary>
    public bool ForgetIfGone(IpAddr vtep, ref uint sequence)
    {
        if (!_byVtep.TryGetValue(vtep, out var pair))
        {
            return false;
        }
        NexthopRecord.Get(_socket, ref sequence, pair.Group, out var error);
        if (error != Errno.ENOENT)
        {
            return false;
        }
        Delete(pair.Member, ref sequence);
        _byVtep.Remove(vtep);
        return true;
    }

    private uint NextId()
    {
        var id = _nextId;
        _nextId = _nextId >= uint.MaxValue - 2 ? FirstId : _nextId + 2;
        return id;
    }

    /// <summary>RTM_NEWNEXTHOP, exclusive: a member (a gateway) when <paramref name="group"/> is 0, else a
    /// group of that one member.</summary>
    private (int Error, string? Detail) Create(uint id, IpAddr vtep, uint group, ref uint sequence)
    {
        _writer.Clear();
        var seq = ++sequence;
        _writer.BeginMessage(Rtnl.RTM_NEWNEXTHOP, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL | Rtnl.NLM_F_ACK, seq);
        _writer.WriteNhMsg(group == 0 ? (vtep.IsV6 ? Rtnl.AF_INET6 : Rtnl.AF_INET) : Rtnl.AF_UNSPEC, Protocol);
        _writer.WriteAttributeU32(Rtnl.NHA_ID, id);
        if (group == 0)
        {
            Span<byte> address = stackalloc byte[16];
            vtep.Write(address);
            _writer.WriteAttribute(Rtnl.NHA_GATEWAY, address[..vtep.ByteLength]);
        }
        else
        {
            // struct nexthop_grp { id, weight - 1 = 0, reserved }.
            Span<byte> entry = stackalloc byte[Rtnl.NexthopGroupEntryLength];
            entry.Clear();
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(entry, group);
            _writer.WriteAttribute(Rtnl.NHA_GROUP, entry);
        }
        _writer.WriteAttribute(Rtnl.NHA_FDB, []);
        _writer.EndMessage();
        return _socket.Request(_writer.Written, seq);
    }

    /// <summary>RTM_DELNEXTHOP; true when the object is gone (ENOENT included).</summary>
    private bool Delete(uint id, ref uint sequence)
    {
        _writer.Clear();
        var seq = ++sequence;
        _writer.BeginMessage(Rtnl.RTM_DELNEXTHOP, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK, seq);
        _writer.WriteNhMsg(Rtnl.AF_UNSPEC, 0);
        _writer.WriteAttributeU32(Rtnl.NHA_ID, id);
        _writer.EndMessage();
        return _socket.Request(_writer.Written, seq).Error is 0 or Errno.ENOENT;
    }
}
