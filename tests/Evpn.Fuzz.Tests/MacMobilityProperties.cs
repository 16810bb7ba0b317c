using CsCheck;
using Evpn.Core;
using Evpn.Wire.Model;

namespace Evpn.Fuzz.Tests;

/// <summary>RFC 7432 section 15 against a reference model: a sticky location beats any other, then the higher
/// sequence number, then the lower VTEP address; the winner does not depend on the order the locations are
/// compared in (MacEntry folds them in arrival order).</summary>
public class MacMobilityProperties
{
    private static readonly Gen<MobilityCandidate> Candidate = Gen.Select(Gen.Int[1, 4], Gen.UInt[0, 3], Gen.Int[0, 5],
        (vtep, sequence, sticky) => new MobilityCandidate(IpAddr.FromV4(0x0A00_0000u + (uint)vtep), sequence, sticky == 0, null));

    private static MobilityCandidate Model(IReadOnlyList<MobilityCandidate> candidates) =>
        candidates.OrderByDescending(c => c.Sticky).ThenByDescending(c => c.Sequence).ThenBy(c => c.Vtep).First();

    private static MobilityCandidate Fold(IEnumerable<MobilityCandidate> candidates)
    {
        MobilityCandidate? best = null;
        foreach (var c in candidates)
        {
            if (best is null || MacMobility.Compare(c, best.Value, out _) < 0)
            {
                best = c;
            }
        }
        return best!.Value;
    }

    private static (IpAddr, uint, bool) Key(MobilityCandidate c) => (c.Vtep, c.Sequence, c.Sticky);

    [Fact]
    public void The_winner_is_the_models_in_every_arrival_order() =>
        Candidate.Array[1, 6].SelectMany(a => Gen.Shuffle(a.ToArray()).Select(s => (a, s))).Sample(t =>
        {
            var expected = Key(Model(t.a));
            Assert.Equal(expected, Key(Fold(t.a)));
            Assert.Equal(expected, Key(Fold(t.s)));
        }, iter: 5000);

    [Fact]
    public void Compare_is_antisymmetric_and_names_the_rule_that_decided() =>
        Gen.Select(Candidate, Candidate).Sample(t =>
        {
            var ab = MacMobility.Compare(t.Item1, t.Item2, out var reason);
            var ba = MacMobility.Compare(t.Item2, t.Item1, out var reverse);
            Assert.Equal(Math.Sign(ab), -Math.Sign(ba));
            Assert.Equal(reason, reverse);
            var expected = t.Item1.Sticky != t.Item2.Sticky ? MobilityReason.Sticky
                : t.Item1.Sequence != t.Item2.Sequence ? MobilityReason.HigherSequence
                : t.Item1.Vtep != t.Item2.Vtep ? MobilityReason.LowerVtep
                : MobilityReason.SameVtep;
            Assert.Equal(expected, reason);
        }, iter: 5000);
}
