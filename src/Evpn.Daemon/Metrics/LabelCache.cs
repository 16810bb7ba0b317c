namespace Evpn.Daemon.Metrics;

/// <summary>Rendered label sets by the tags of a measurement. Measurements come per message and per kernel
/// entry, always with the same few tag combinations: rendering them each time (copy, sort, format) would be
/// work per message in a table load; a tag combination seen before costs a hash and a compare. Label sets not
/// used between two sweeps (the exporter sweeps after each render) are dropped, so the cache follows the peers
/// and VNIs that exist instead of every one there ever was. Not thread-safe: the exporter calls it under its
/// lock.</summary>
internal sealed class LabelCache
{
    private readonly Dictionary<int, List<Entry>> _byHash = [];

    public int Count { get; private set; }

    public LabelSet Get(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return LabelSet.None;
        }
        var hash = Hash(tags);
        if (_byHash.TryGetValue(hash, out var bucket))
        {
            foreach (var entry in bucket)
            {
                if (Same(entry.Tags, tags))
                {
                    entry.Used = true;
                    return entry.Labels;
                }
            }
        }
        else
        {
            bucket = [];
            _byHash[hash] = bucket;
        }
        var rendered = LabelSet.From(tags);
        bucket.Add(new Entry(tags.ToArray(), rendered) { Used = true });
        Count++;
        return rendered;
    }

    /// <summary>Drops the label sets not used since the last sweep.</summary>
    public void Sweep()
    {
        foreach (var (hash, bucket) in _byHash)
        {
            Count -= bucket.RemoveAll(e => !e.Used);
            if (bucket.Count == 0)
            {
                _byHash.Remove(hash);
                continue;
            }
            foreach (var entry in bucket)
            {
                entry.Used = false;
            }
        }
    }

    private static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = new HashCode();
        foreach (var (key, value) in tags)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value);
        }
        return hash.ToHashCode();
    }

    private static bool Same(KeyValuePair<string, object?>[] known, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (known.Length != tags.Length)
        {
            return false;
        }
        for (var i = 0; i < known.Length; i++)
        {
            if (!string.Equals(known[i].Key, tags[i].Key, StringComparison.Ordinal) || !Equals(known[i].Value, tags[i].Value))
            {
                return false;
            }
        }
        return true;
    }

    private sealed class Entry(KeyValuePair<string, object?>[] tags, LabelSet labels)
    {
        public KeyValuePair<string, object?>[] Tags { get; } = tags;
        public LabelSet Labels { get; } = labels;
        public bool Used { get; set; }
    }
}
