using System;
using System.Collections;
using System.Linq;
using System.Reflection;
using Xunit;

namespace ModelDsl.Generator.Tests;

/// <summary>
/// The attribute classes (ModelDsl.Abstractions) and the generator's catalogue of rules list the same kinds, and the
/// generator reads every attribute argument by the name of the property that exposes it.
/// </summary>
public sealed class CatalogueTests
{
    private static readonly Assembly Attributes = typeof(ModelAttribute).Assembly;

    [Fact]
    public void Every_layer_and_step_attribute_has_a_rule_and_every_rule_an_attribute()
    {
        var attributes = Attributes.GetExportedTypes()
            .Where(t => !t.IsAbstract && (typeof(LayerAttribute).IsAssignableFrom(t) || typeof(StepAttribute).IsAssignableFrom(t)))
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(attributes, RuleNames());
        Assert.True(attributes.Count >= 40, $"only {attributes.Count} kinds");
    }

    [Fact]
    public void Every_constructor_parameter_is_exposed_by_a_property_of_the_same_name()
    {
        // The parser names a constructor argument after its parameter, capitalised (outFeatures → OutFeatures), and the
        // rules read it by the property's nameof: each parameter needs that property.
        var missing = Attributes.GetExportedTypes()
            .Where(t => typeof(Attribute).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => (Type: t, Property: char.ToUpperInvariant(p.Name![0]) + p.Name[1..])))
            .Where(p => p.Type.GetProperty(p.Property) is null)
            .Select(p => $"{p.Type.Name}.{p.Property}")
            .Distinct()
            .ToList();

        Assert.True(missing.Count == 0, "Constructor parameters without a property: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_generator_uses_the_attribute_assembly_at_compile_time_only()
    {
        // The compiler loads the generator alone; attribute and argument names are compiled in as nameof constants.
        var references = typeof(ModelGenerator).Assembly.GetReferencedAssemblies().Select(a => a.Name);

        Assert.DoesNotContain(Attributes.GetName().Name, references);
    }

    private static string[] RuleNames()
    {
        var kinds = typeof(ModelGenerator).Assembly.GetType("ModelDsl.Generator.Catalogue.Kinds", throwOnError: true)!;
        var rules = (IDictionary)kinds.GetField("Rules", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        return rules.Keys.Cast<string>().Order(StringComparer.Ordinal).ToArray();
    }
}
