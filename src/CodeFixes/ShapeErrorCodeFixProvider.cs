using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelDsl.CodeFixes;

/// <summary>
/// Applies the repair the generator computed for a shape error and attached to the diagnostic: set one argument of an
/// attribute (the input size, a padding, a reshape dim, the head count) or add the missing using directive. The
/// generator decides what fits; this only edits the source.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ShapeErrorCodeFixProvider)), Shared]
public sealed class ShapeErrorCodeFixProvider : CodeFixProvider
{
    // The keys the generator writes into a diagnostic's properties (ModelDsl.Generator.Model.Fix).
    private const string KindKey = "ModelDsl.Fix";
    private const string SetArgument = "SetArgument";
    private const string AddUsing = "AddUsing";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("MDL0039", "MDL0101", "MDL0102", "MDL0104", "MDL0112");

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var properties = diagnostic.Properties;
            if (!properties.TryGetValue(KindKey, out var kind))
                continue;
            if (kind == SetArgument && properties.TryGetValue("Argument", out var argument) && argument is not null && properties.TryGetValue("Value", out var value) && value is not null)
            {
                var index = properties.TryGetValue("Index", out var i) && int.TryParse(i, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : (int?)null;
                var target = diagnostic.AdditionalLocations.FirstOrDefault() ?? diagnostic.Location;
                context.RegisterCodeFix(
                    CodeAction.Create($"Set {argument}{(index is null ? "" : $"[{index}]")} to {value}", ct => SetArgumentAsync(context.Document, target, argument, index, value, ct), $"ModelDsl.Set.{argument}"),
                    diagnostic);
            }
            else if (kind == AddUsing && properties.TryGetValue("Namespace", out var ns) && ns is not null)
            {
                context.RegisterCodeFix(CodeAction.Create($"Add 'using {ns};'", ct => AddUsingAsync(context.Document, ns, ct), "ModelDsl.AddUsing." + ns), diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> SetArgumentAsync(Document document, Location target, string argument, int? index, string value, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var attribute = root?.FindNode(target.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>();
        if (root is null || model is null || attribute is null)
            return document;
        var replacement = AttributeArguments.Set(attribute, model, argument, index, Literal(value), cancellationToken);
        return replacement is null ? document : document.WithSyntaxRoot(root.ReplaceNode(attribute, replacement));
    }

    private static async Task<Document> AddUsingAsync(Document document, string ns, CancellationToken cancellationToken)
    {
        if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax unit)
            return document;
        var isStatic = ns.StartsWith("static ", System.StringComparison.Ordinal);
        var name = SyntaxFactory.ParseName(isStatic ? ns.Substring("static ".Length) : ns);
        var directive = SyntaxFactory.UsingDirective(name);
        if (isStatic)
            directive = directive.WithStaticKeyword(SyntaxFactory.Token(SyntaxKind.StaticKeyword));
        return document.WithSyntaxRoot(unit.AddUsings(directive.NormalizeWhitespace().WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)));
    }

    // An integer stays a number; anything else is a hyperparameter expression, which the DSL reads as a string.
    private static ExpressionSyntax Literal(string value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(number))
            : SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(value));
}
