namespace Evpn.Rib;

/// <summary>One update group as show and metrics see it.</summary>
/// <param name="Key">What its members share (<see cref="UpdateGroupKey"/>), e.g. "ibgp rr-client as4".</param>
/// <param name="Routes">Routes its stream announced and did not withdraw.</param>
/// <param name="Batches">Batches of its stream not yet taken by every member that follows it.</param>
/// <param name="Splits">Times a member fell behind, left the stream and caught up from the table.</param>
public sealed record UpdateGroupSummary(int Id, string Key, int Members, int Routes, int Batches, long Splits);
