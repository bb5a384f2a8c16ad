using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Catalogue;
using ModelDsl.Generator.Catalogue.Layers;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>A checked member, the name of its layer attribute (for messages), and the taps its split produced.</summary>
internal sealed record CheckedMember(MemberPlan Plan, string LayerKind, IReadOnlyList<(TapRef Part, EquatableArray<Dim> Shape)> Parts);

/// <summary>
/// Checks one member: its attributes in order, each by its kind's rule, on the value flowing through. The member holds
/// exactly one layer (a member of type <c>Identity</c> may leave it implied); a split ends it.
/// </summary>
internal static class MemberChecker
{
    private const string IdentityModule = "TorchSharp.Modules.Identity";

    /// <summary>Checks a member that reads <paramref name="previous"/>, or (null after a split) starts with [Input].</summary>
    public static CheckedMember? Check(CheckContext context, MemberSpec member, Tap? previous, TapTable taps)
    {
        var steps = member.Steps.ToList();
        // A member that starts with [Input] reads that tap: it is also the value its residual defaults to.
        if (steps.Count > 0 && steps[0].AttributeName == nameof(InputAttribute))
        {
            var redirected = RunRule(context, member, steps[0], previous?.Shape ?? EquatableArray<Dim>.Empty, previous, taps);
            if (redirected is null)
                return null;
            previous = taps.Find(((Catalogue.Steps.InputOp)redirected.Op).From.Name)!;
            steps.RemoveAt(0);
        }

        var input = previous!;

        var shape = input.Shape;
        var ops = new List<OpPlan>();
        Layer? layer = null;
        string? layerKind = null;
        var parts = new List<(TapRef, EquatableArray<Dim>)>();
        var ended = false;
        if (member.TypeMetadataName == IdentityModule && !steps.Any(s => s.AttributeName == nameof(IdentityAttribute)))
            (layer, layerKind, ops) = (new IdentityLayer(), "Identity", new List<OpPlan> { new(new IdentityLayer(), shape) });

        foreach (var step in steps)
        {
            if (ended)
            {
                context.Report(DiagnosticDescriptors.SplitHasNoValue, step.Location ?? member.Location, member.Name, string.Join(", ", parts.Select(p => p.Item1.Name)));
                return null;
            }

            var result = RunRule(context, member, step, shape, input, taps);
            if (result is null)
                return null;
            if (result.Op is Layer stepLayer)
            {
                if (layer is not null)
                {
                    context.Report(DiagnosticDescriptors.TwoLayersInOneMember, step.Location, member.Name, layerKind!, step.Name);
                    return null;
                }

                if (stepLayer is not NestedLayer && stepLayer.ModuleType != member.TypeMetadataName)
                {
                    context.Report(DiagnosticDescriptors.PropertyTypeMismatch, step.Location, member.Name, $"[{step.Name}] needs the property type {TypeText.Describe(stepLayer.ModuleType, member.TypeMetadataName)}, not {TypeText.Describe(member.TypeMetadataName, stepLayer.ModuleType)}");
                    return null;
                }

                if (!KnownAtConstruction(context, member, step, stepLayer))
                    return null;
                (layer, layerKind) = (stepLayer, stepLayer is NestedLayer nested ? nested.ShortName : step.Name);
            }

            ops.Add(new OpPlan(result.Op, result.Output));
            shape = result.Output;
            if (result.Parts is { } produced)
            {
                parts.AddRange(produced);
                ended |= result.Op is IProducesTaps { EndsMember: true };
            }
        }

        if (layer is null)
        {
            context.Report(DiagnosticDescriptors.MemberWithoutLayer, member.Location, member.Name, member.TypeName.Split('.').Last());
            return null;
        }

        var key = StateKeys.Read(context, member);
        if (key is null)
            return null;
        var plan = new MemberPlan(member.Name, member.Modifiers, member.TypeName, input.Ref, layer, ops.ToEquatableArray(), input.Shape, shape, layer.Parameters, HasValue: !ended, key);
        return new CheckedMember(plan, layerKind!, parts);
    }

    private static Checked? RunRule(CheckContext context, MemberSpec member, StepSpec step, EquatableArray<Dim> shape, Tap? memberInput, TapTable taps)
    {
        if (!Kinds.Rules.TryGetValue(step.AttributeName, out var rule))
        {
            context.Report(DiagnosticDescriptors.UnknownAttribute, step.Location ?? member.Location, step.Name, member.Name);
            return null;
        }

        if (step.Unbound)
        {
            context.Report(DiagnosticDescriptors.ArgumentType, step.Location ?? member.Location, step.Name, member.Name, "its arguments do not match any of its constructors");
            return null;
        }

        try
        {
            context.CurrentStep = new StepContext(context, member, step, shape, taps, memberInput!);
            return rule(context.CurrentStep);
        }
        catch (OverflowException)
        {
            context.Report(DiagnosticDescriptors.SizeOverflow, step.Location ?? member.Location, step.Name, member.Name);
            return null;
        }
        finally
        {
            context.CurrentStep = null;
        }
    }

    // The constructor creates the module, so every size it takes must be known there, not only from the input.
    private static bool KnownAtConstruction(CheckContext context, MemberSpec member, StepSpec step, Layer layer)
    {
        foreach (var (what, dim) in layer.ConstructionSizes)
        {
            if (!context.IsKnownAtConstruction(dim))
            {
                context.Report(DiagnosticDescriptors.SizeNotKnownAtConstruction, step.Location ?? member.Location, step.Name, member.Name, what, dim);
                return false;
            }
        }

        return true;
    }
}
