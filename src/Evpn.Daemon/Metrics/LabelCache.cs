namespace Evpn.Daemon.Metrics;

/// <summary>Rendered label sets by the tags of a measurement. Measurements come per message and per kernel
/// entry, always with the same few tag combinations: rendering them each time (copy, sort, format) would be
/// work per message in a table load; a tag combination seen before costs a hash and a compare. Not
/// thread-safe: the exporter calls it under its lock.</summary>
internal sealed class LabelCache
{
    private readonly Dictionary<int, List<(KeyValuePair<string, object?>[] Tags, LabelSet Labels)>> _byHash = [];

    public LabelSet Get(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return LabelSet.None;
        }
        var hash = Hash(tags);
        if (_byHash.TryGetValue(hash, out var bucket))
        {
            foreach (var (known, labels) in bucket)
            {
                if (Same(known, tags))
                {
                    return labels;
                }
            }
        }
        else
        {
            bucket = [];
            _byHash[hash] = bucket;
        }
        var rendered = LabelSet.From(tags);
        bucket.Add((tags.ToArray(), rendered));
        return rendered;
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
}
