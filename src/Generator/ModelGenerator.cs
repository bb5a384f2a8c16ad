using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Parse;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator;

/// <summary>
/// The ModelDsl source generator: <c>[Model]</c> classes → parse (a plain, equatable model) → check (shape
/// inference into a typed plan, and the diagnostics) → emit (one TorchSharp module per model).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.ModelAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (syntax, cancellationToken) => Parse(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        var checkedModels = parsed
            .Select(static (result, _) => Check(result))
            .WithTrackingName(TrackingNames.Check);

        var pairings = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.GanAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (syntax, cancellationToken) => ParseGan(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.ParseGan)
            .Select(static (result, _) => CheckGan(result))
            .WithTrackingName(TrackingNames.CheckGan);

        var helpLinkBase = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => HelpLinks.Base(options.GlobalOptions))
            .WithTrackingName(TrackingNames.HelpLinkBase);

        RegisterOutputs(context, checkedModels, helpLinkBase);
        RegisterOutputs(context, pairings, helpLinkBase);
    }

    // Diagnostics are reported from their own step, separately from source emission, so either caches alone.
    private static void RegisterOutputs(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<ModelOutput> outputs, IncrementalValueProvider<string> helpLinkBase)
    {
        var diagnostics = outputs
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics)
            .Combine(helpLinkBase);
        context.RegisterSourceOutput(diagnostics, static (output, pair) =>
        {
            foreach (var item in pair.Left)
                output.ReportDiagnostic(item.ToDiagnostic(HelpLinks.Apply(item.Descriptor, pair.Right)));
        });

        var sources = outputs
            .Where(static result => result.Source is not null)
            .Select(static (result, _) => result.Source!)
            .WithTrackingName(TrackingNames.Sources);
        context.RegisterSourceOutput(sources, static (output, source) => output.AddSource(source.HintName, source.Text));
    }

    private static ParseResult Parse(GeneratorAttributeSyntaxContext syntax, CancellationToken cancellationToken)
    {
        try
        {
            return ModelParser.Parse((INamedTypeSymbol)syntax.TargetSymbol, syntax.TargetNode, syntax.SemanticModel.Compilation, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ParseResult(null, new[] { InternalError(syntax.TargetSymbol.Name, e, LocationInfo.From(syntax.TargetNode)) }.ToEquatableArray());
        }
    }

    private static GanParseResult ParseGan(GeneratorAttributeSyntaxContext syntax, CancellationToken cancellationToken)
    {
        try
        {
            return GanParser.Parse(syntax, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new GanParseResult(null, new[] { InternalError(syntax.TargetSymbol.Name, e, LocationInfo.From(syntax.TargetNode)) }.ToEquatableArray());
        }
    }

    private static ModelOutput CheckGan(GanParseResult parsed)
    {
        try
        {
            var result = GanChecker.Check(parsed);
            var source = result.Plan is null ? null : new GeneratedSource(result.Plan.HintName, GanEmitter.Emit(result.Plan));
            return new ModelOutput(source, result.Diagnostics);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ModelOutput(null, new[] { InternalError(parsed.Gan?.Name ?? "GAN", e, parsed.Gan?.Location) }.ToEquatableArray());
        }
    }

    // Check and emit run in one step so that a defect in either becomes a diagnostic instead of a crash.
    private static ModelOutput Check(ParseResult parsed)
    {
        if (parsed.Model is null)
            return new ModelOutput(null, parsed.Diagnostics);
        try
        {
            var declarationErrors = parsed.Diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);
            var result = declarationErrors ? new CheckResult(null, EquatableArray<DiagnosticInfo>.Empty) : ModelChecker.Check(parsed.Model);
            var diagnostics = parsed.Diagnostics.Concat(result.Diagnostics).ToEquatableArray();
            var text = result.Plan is null ? PlaceholderEmitter.Emit(parsed.Model) : ModelEmitter.Emit(result.Plan);
            return new ModelOutput(text is null ? null : new GeneratedSource(parsed.Model.HintName, text), diagnostics);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var placeholder = PlaceholderEmitter.Emit(parsed.Model) is { } text ? new GeneratedSource(parsed.Model.HintName, text) : null;
            return new ModelOutput(placeholder, parsed.Diagnostics.Append(InternalError(parsed.Model.Name, e, parsed.Model.Location)).ToEquatableArray());
        }
    }

    private static DiagnosticInfo InternalError(string model, Exception e, LocationInfo? location)
        => DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, model, e.GetType().Name + ": " + e.Message);
}
