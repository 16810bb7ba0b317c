using Evpn.Wire.Model;

namespace Evpn.DataPlane.Linux.Tests;

/// <summary>Downstream-assigned VNIs (RFC 8365 section 5.1.3) on the real kernel: an entry toward a VTEP that
/// expects another VNI than the device's carries that VNI (NDA_VNI), is read back with it, and survives a restart
/// untouched.</summary>
public sealed class RemoteVniTests
{
    private const uint Vni = 100;
    private const uint Remote = 2001;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly IpAddr VtepA = IpAddr.Parse("10.0.0.2");
    private static readonly IpAddr VtepB = IpAddr.Parse("10.0.0.3");

    private static MacAddress MacOf(int i) => new(0x0200_0000_0000UL | (uint)i);

    /// <summary>With nexthop groups (the entry with a remote VNI names its VTEP instead) and with destinations.</summary>
    [RequiresTheory(Requirement.Root)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_entry_with_a_remote_vni_is_programmed_and_read_back_with_it_changes_form_and_is_removed(bool nexthops)
    {
        using var ns = new VtepNamespace(Vni);
        await using var dataPlane = new LinuxDataPlane(ns.Options with { FdbNexthops = nexthops });
        await dataPlane.StartAsync(CancellationToken.None);
        await dataPlane.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == Vni, Wait);
        var plain = new FdbEntry(Vni, MacOf(1), VtepA);
        var asymmetric = new FdbEntry(Vni, MacOf(2), VtepA, remoteVni: Remote);
        var flood = new FloodEntry(Vni, VtepA, Remote);
        var floodPlain = new FloodEntry(Vni, VtepB);

        await ApplyAsync(dataPlane, new DataPlaneIntent.AddFdb(plain), new DataPlaneIntent.AddFdb(asymmetric),
            new DataPlaneIntent.AddFlood(flood), new DataPlaneIntent.AddFlood(floodPlain));

        var installed = await dataPlane.ReadInstalledAsync(CancellationToken.None);
        Assert.Equal(new[] { plain, asymmetric }.ToHashSet(), installed.Fdb.ToHashSet());
        Assert.Equal(Remote, installed.Fdb.Single(e => e.Mac == asymmetric.Mac).RemoteVni);
        Assert.Equal(new[] { flood, floodPlain }.ToHashSet(), installed.Flood.ToHashSet());
        var table = FdbText(ns);
        Assert.Contains($"{asymmetric.Mac} dst {VtepA} vni {Remote} self extern_learn", table);
        Assert.Contains($"00:00:00:00:00:00 dst {VtepA} vni {Remote} self ", table);
        Assert.Contains($"00:00:00:00:00:00 dst {VtepB} self ", table);
        Assert.Matches(nexthops ? $"{plain.Mac} nhid \\d+ self extern_learn" : $"{plain.Mac} dst {VtepA} self extern_learn", table);
        Assert.True((await dataPlane.AuditAsync(new DataPlaneState([plain, asymmetric], [flood, floodPlain], []), CancellationToken.None)).IsClean);

        // The labels change both ways: with groups, each entry changes form, which a replace alone cannot do.
        var nowAsymmetric = new FdbEntry(Vni, plain.Mac, VtepA, remoteVni: Remote);
        var nowPlain = new FdbEntry(Vni, asymmetric.Mac, VtepA);
        await ApplyAsync(dataPlane, new DataPlaneIntent.AddFdb(nowAsymmetric), new DataPlaneIntent.AddFdb(nowPlain));
        Assert.Equal(new[] { nowAsymmetric, nowPlain }.ToHashSet(), (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Fdb.ToHashSet());
        table = FdbText(ns);
        Assert.Contains($"{plain.Mac} dst {VtepA} vni {Remote} self extern_learn", table);
        Assert.Matches(nexthops ? $"{asymmetric.Mac} nhid \\d+ self extern_learn" : $"{asymmetric.Mac} dst {VtepA} self extern_learn", table);
        Assert.Single(table.Split('\n'), l => l.StartsWith($"{plain.Mac} ", StringComparison.Ordinal) && l.Contains(" self "));
        Assert.Single(table.Split('\n'), l => l.StartsWith($"{asymmetric.Mac} ", StringComparison.Ordinal) && l.Contains(" self "));

        // The kernel matches a flood destination's VNI too: the removal names it, and only that one goes.
        await ApplyAsync(dataPlane, new DataPlaneIntent.RemoveFlood(flood));
        Assert.Equal([floodPlain], (await dataPlane.ReadInstalledAsync(CancellationToken.None)).Flood);

        await ApplyAsync(dataPlane, new DataPlaneIntent.RemoveFdb(nowAsymmetric), new DataPlaneIntent.RemoveFdb(nowPlain), new DataPlaneIntent.RemoveFlood(floodPlain));
        var left = await dataPlane.ReadInstalledAsync(CancellationToken.None);
        Assert.Empty(left.Fdb);
        Assert.Empty(left.Flood);
        Assert.DoesNotContain(FdbText(ns).Split('\n'), l => l.Contains("extern_learn") || l.StartsWith("00:00:00:00:00:00", StringComparison.Ordinal));
    }

    /// <summary>Why an entry with a remote VNI names its VTEP even when the others point to nexthop groups.</summary>
    [RequiresFact(Requirement.Root)]
    public void The_kernel_refuses_a_vni_beside_a_nexthop_group()
    {
        using var ns = new VtepNamespace(Vni);
        Shell.Ip(ns.Name, "nexthop", "add", "id", "10", "via", VtepA.ToString(), "fdb");
        Shell.Ip(ns.Name, "nexthop", "add", "id", "11", "group", "10", "fdb");

        var refused = Shell.TryRun("bridge", "-n", ns.Name, "fdb", "add", MacOf(1).ToString(), "dev", VtepNamespace.VxlanOf(Vni),
            "nhid", "11", "vni", Remote.ToString(), "self", "extern_learn");

        Assert.False(refused.Succeeded, refused.Transcript);
        Assert.Contains("mutually exclusive with nhid", refused.StandardError);
    }

    /// <summary>A second instance adopts the entries with their remote VNI, and the core's re-install of the same
    /// entries changes nothing in the kernel: no notification of a deletion or a change of either.</summary>
    [RequiresFact(Requirement.Root)]
    public async Task A_restart_adopts_entries_with_their_remote_vni_and_reinstalls_them_without_touching_the_kernel()
    {
        using var ns = new VtepNamespace(Vni);
        var asymmetric = new FdbEntry(Vni, MacOf(2), VtepA, remoteVni: Remote);
        var flood = new FloodEntry(Vni, VtepA, Remote);
        await using (var first = new LinuxDataPlane(ns.Options))
        {
            await first.StartAsync(CancellationToken.None);
            await first.Events.WaitForAsync<DataPlaneEvent.VniUp>(e => e.Info.Vni == Vni, Wait);
            await ApplyAsync(first, new DataPlaneIntent.AddFdb(asymmetric), new DataPlaneIntent.AddFlood(flood));
        }

        using var monitor = new FdbMonitor(ns);
        await monitor.MarkAsync(MacOf(0xA1));
        await using var second = new LinuxDataPlane(ns.Options);
        await second.StartAsync(CancellationToken.None);
        var adopted = await second.ReadInstalledAsync(CancellationToken.None);
        Assert.Equal([asymmetric], adopted.Fdb);
        Assert.Equal([flood], adopted.Flood);

        await ApplyAsync(second, new DataPlaneIntent.AddFdb(asymmetric), new DataPlaneIntent.AddFlood(flood));
        Assert.Equal(0, await second.SweepStaleAsync(CancellationToken.None));
        await monitor.MarkAsync(MacOf(0xA2));

        var after = await second.ReadInstalledAsync(CancellationToken.None);
        Assert.Equal([asymmetric], after.Fdb);
        Assert.Equal([flood], after.Flood);
        var events = monitor.Lines.Where(l => l.Contains(asymmetric.Mac.ToString()) || l.StartsWith("00:00:00:00:00:00", StringComparison.Ordinal)
            || l.StartsWith("Deleted 00:00:00:00:00:00", StringComparison.Ordinal)).ToList();
        Assert.True(events.Count == 0, "kernel notifications for the adopted entries: " + string.Join(" | ", events));
    }

    private static async Task ApplyAsync(LinuxDataPlane dataPlane, params DataPlaneIntent[] intents)
    {
        var result = await dataPlane.ApplyAsync(intents, CancellationToken.None);
        Assert.Empty(result.Failures);
    }

    private static string FdbText(VtepNamespace ns) => Shell.Bridge(ns.Name, "fdb", "show", "dev", VtepNamespace.VxlanOf(Vni));

    /// <summary>`bridge monitor fdb` in the namespace, its lines collected; a marker entry added and seen proves
    /// every notification before it was read. Killed on dispose.</summary>
    private sealed class FdbMonitor(VtepNamespace ns) : IDisposable
    {
        private readonly BackgroundCommand _monitor = new("bridge", "-n", ns.Name, "monitor", "fdb");

        /// <summary>The lines read so far, the markers left out.</summary>
        public IReadOnlyList<string> Lines => _monitor.Output.Where(l => !l.Contains(" dst 10.9.9.9 ", StringComparison.Ordinal)).ToList();

        /// <summary>Adds a static entry toward 10.9.9.9 for <paramref name="mac"/> until the monitor shows it.</summary>
        public async Task MarkAsync(MacAddress mac)
        {
            var text = mac.ToString();
            await Eventually.UntilAsync(() =>
            {
                // Deleted and added each time: the monitor may have started listening after an earlier try.
                Shell.TryRun("bridge", "-n", ns.Name, "fdb", "del", text, "dev", VtepNamespace.VxlanOf(Vni), "self");
                Shell.Run("bridge", "-n", ns.Name, "fdb", "add", text, "dev", VtepNamespace.VxlanOf(Vni), "dst", "10.9.9.9", "self", "permanent");
                return _monitor.Output.Any(l => l.Contains(text, StringComparison.Ordinal));
            }, $"bridge monitor to show the marker {text}", timeout: Wait);
        }

        public void Dispose() => _monitor.Dispose();
    }
}
