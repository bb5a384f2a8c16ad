using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ModelDsl.CodeFixes;

/// <summary>
/// Sets one argument of an attribute by the name of the property that exposes it, as the generator names arguments:
/// a named argument (<c>Padding = 2</c>), a constructor argument (<c>outFeatures</c> is <c>OutFeatures</c>), or an item
/// of a params array. An argument left out is added where its constructor overload or property allows.
/// </summary>
internal static class AttributeArguments
{
    public static AttributeSyntax? Set(AttributeSyntax attribute, SemanticModel model, string argument, int? index, ExpressionSyntax value, CancellationToken cancellationToken)
    {
        var arguments = attribute.ArgumentList?.Arguments ?? default;
        var named = arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == argument);
        if (named is not null)
            return attribute.ReplaceNode(named.Expression, value.WithTriviaFrom(named.Expression));

        var positional = arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList();
        if (model.GetSymbolInfo(attribute, cancellationToken).Symbol is IMethodSymbol constructor)
        {
            var parameter = constructor.Parameters.FirstOrDefault(p => PropertyName(p.Name) == argument);
            if (parameter is not null)
            {
                var at = parameter.Ordinal + (index ?? 0);
                if (at < positional.Count)
                    return attribute.ReplaceNode(positional[at].Expression, value.WithTriviaFrom(positional[at].Expression));
            }

            // An overload that takes this argument first, then the ones given (Linear(10) → Linear(780, 10)).
            var wider = constructor.ContainingType.InstanceConstructors.FirstOrDefault(c =>
                c.Parameters.Length == positional.Count + 1 && PropertyName(c.Parameters[0].Name) == argument
                && c.Parameters.Skip(1).Select(p => p.Name).SequenceEqual(constructor.Parameters.Take(positional.Count).Select(p => p.Name)));
            if (wider is not null)
                return attribute.WithArgumentList(Arguments(attribute).WithArguments(Arguments(attribute).Arguments.Insert(0, SyntaxFactory.AttributeArgument(value))));

            if (constructor.ContainingType.GetMembers(argument).OfType<IPropertySymbol>().Any(p => p.SetMethod is not null))
            {
                var assignment = SyntaxFactory.AttributeArgument(SyntaxFactory.NameEquals(argument), null, value);
                return attribute.WithArgumentList(Arguments(attribute).AddArguments(assignment));
            }
        }

        return null;
    }

    private static AttributeArgumentListSyntax Arguments(AttributeSyntax attribute) => attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();

    private static string PropertyName(string parameter) => parameter.Length == 0 ? parameter : char.ToUpperInvariant(parameter[0]) + parameter.Substring(1);
}
