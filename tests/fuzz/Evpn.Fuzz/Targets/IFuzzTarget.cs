namespace Evpn.Fuzz.Targets;

/// <summary>One parser of untrusted bytes and the properties its results must have. <see cref="Run"/> throws
/// <see cref="PropertyViolation"/> when a property fails; any other exception escaping it is a bug as well.</summary>
public interface IFuzzTarget
{
    string Name { get; }

    void Run(ReadOnlySpan<byte> input);
}

/// <summary>A property of a parser's result that does not hold for some input.</summary>
public sealed class PropertyViolation(string message) : Exception(message)
{
    public static void Unless(bool condition, string message)
    {
        if (!condition)
        {
            throw new PropertyViolation(message);
        }
    }
}
