using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Evpn.Testing;

/// <summary>A <see cref="FactAttribute"/> for a test that needs root or a peer daemon: it carries the trait
/// <c>Requires=...</c> for each requirement and is skipped, with the reason, on a machine that lacks one.</summary>
[TraitDiscoverer("Evpn.Testing.RequiresTraitDiscoverer", "Evpn.Testing")]
public sealed class RequiresFactAttribute : FactAttribute, ITraitAttribute
{
    public RequiresFactAttribute(params Requirement[] requirements)
    {
        Requirements = requirements;
        Skip = Testing.Requirements.Missing(requirements);
    }

    public Requirement[] Requirements { get; }
}

/// <summary>The <see cref="TheoryAttribute"/> counterpart of <see cref="RequiresFactAttribute"/>.</summary>
[TraitDiscoverer("Evpn.Testing.RequiresTraitDiscoverer", "Evpn.Testing")]
public sealed class RequiresTheoryAttribute : TheoryAttribute, ITraitAttribute
{
    public RequiresTheoryAttribute(params Requirement[] requirements)
    {
        Requirements = requirements;
        Skip = Testing.Requirements.Missing(requirements);
    }

    public Requirement[] Requirements { get; }
}

/// <summary>Turns the requirements of a <see cref="RequiresFactAttribute"/> or <see cref="RequiresTheoryAttribute"/>
/// into <c>Requires</c> traits.</summary>
public sealed class RequiresTraitDiscoverer : ITraitDiscoverer
{
    public const string Trait = "Requires";

    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        traitAttribute.GetNamedArgument<Requirement[]>(nameof(RequiresFactAttribute.Requirements))
            .Distinct()
            .Select(r => new KeyValuePair<string, string>(Trait, Requirements.TraitValue(r)));
}
