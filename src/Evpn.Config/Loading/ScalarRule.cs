namespace Evpn.Config.Loading;

internal delegate bool ScalarParse<T>(string text, out T value);

/// <summary>How one kind of scalar is read: the parse, and the words used in "expected ..." when it fails.
/// A <paramref name="Secret"/> value is never repeated in an error: the error gives its length instead.</summary>
internal sealed record ScalarRule<T>(string Expected, ScalarParse<T> Parse, bool Secret = false);
