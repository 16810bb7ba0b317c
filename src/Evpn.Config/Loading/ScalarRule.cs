namespace Evpn.Config.Loading;

internal delegate bool ScalarParse<T>(string text, out T value);

/// <summary>How one kind of scalar is read: the parse, and the words used in "expected ..." when it fails.</summary>
internal sealed record ScalarRule<T>(string Expected, ScalarParse<T> Parse);
