using Microsoft.CodeAnalysis;

namespace ModelDsl.Generator.Parse;

/// <summary>
/// A type the compiler could not resolve, named like a type the DSL uses: the using directive that brings it in scope.
/// Without it the generator would report a property of type 'CausalSelfAttention' that should be a CausalSelfAttention.
/// </summary>
internal static class MissingUsings
{
    // Where the DSL's types live, searched in order; "static" namespaces are the classes a 'using static' opens.
    private static readonly (string Namespace, string MetadataPrefix)[] Places =
    {
        ("TorchSharp.Modules", "TorchSharp.Modules."),
        ("ModelDsl.Layers", "ModelDsl.Layers."),
        ("static TorchSharp.torch", "TorchSharp.torch+"),
    };

    /// <summary>The namespace (or <c>static</c> class) to import for <paramref name="type"/>, or null when it is no such type.</summary>
    public static string? For(ITypeSymbol type, Compilation compilation)
    {
        if (type.TypeKind != TypeKind.Error || type is not INamedTypeSymbol named)
            return null;
        var metadataName = named.Arity == 0 ? named.Name : named.Name + "`" + named.Arity;
        foreach (var (ns, prefix) in Places)
        {
            if (compilation.GetTypeByMetadataName(prefix + metadataName) is not null)
                return ns;
        }

        return null;
    }
}
