using Evpn.Wire.Model;

namespace Evpn.Wire;

/// <summary>RFC 6793 section 4.2.3: on a session without 4-octet AS support, rebuild the true AS path and
/// aggregator from AS_PATH/AGGREGATOR and AS4_PATH/AS4_AGGREGATOR.</summary>
internal static class As4Merge
{
    public static void Apply(PathAttributesBuilder set)
    {
        // An AGGREGATOR that is not AS_TRANS means a 2-octet speaker aggregated after the 4-octet part:
        // AS4_AGGREGATOR and AS4_PATH are ignored.
        if (set.Aggregator is { } aggregator && aggregator.Asn != OpenMessage.AsTrans)
        {
            set.As4Path = null;
            set.As4Aggregator = null;
            return;
        }
        if (set.As4Aggregator is { } as4Aggregator)
        {
            set.Aggregator = as4Aggregator;
            set.As4Aggregator = null;
        }
        if (set.As4Path is not { } as4Path)
        {
            return;
        }
        set.As4Path = null;
        var asPath = set.AsPath ?? AsPath.Empty;
        var keep = asPath.Length - as4Path.Length;
        if (keep < 0)
        {
            // AS4_PATH longer than AS_PATH: AS4_PATH is ignored.
            return;
        }
        var segments = new List<AsPathSegment>();
        foreach (var segment in asPath.Segments)
        {
            if (keep == 0)
            {
                break;
            }
            switch (segment.Type)
            {
                case AsPathSegmentType.AsSequence when segment.Asns.Count > keep:
                    segments.Add(segment with { Asns = segment.Asns.AsImmutableArray().RemoveRange(keep, segment.Asns.Count - keep) });
                    keep = 0;
                    break;
                case AsPathSegmentType.AsSequence:
                    segments.Add(segment);
                    keep -= segment.Asns.Count;
                    break;
                case AsPathSegmentType.AsSet:
                    segments.Add(segment);
                    keep -= 1;
                    break;
                default:
                    segments.Add(segment);
                    break;
            }
        }
        segments.AddRange(as4Path.Segments);
        set.AsPath = new AsPath(segments.ToArray());
    }
}
