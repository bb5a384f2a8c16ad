using System.Linq;

namespace ModelDsl.Generator.Model;

/// <summary>Type names as messages show them: short, unless that would make two different types read the same.</summary>
internal static class TypeText
{
    /// <summary>
    /// <paramref name="metadataName"/> by its short name (<c>Linear</c>), or in full
    /// (<c>ModelDsl.Layers.CausalSelfAttention</c>) when <paramref name="other"/> has the same short name.
    /// </summary>
    public static string Describe(string metadataName, string other)
    {
        var shortName = Short(metadataName);
        return shortName == Short(other) && metadataName != other ? metadataName.Replace('+', '.') : shortName;
    }

    private static string Short(string metadataName) => metadataName.Split('.', '+').Last();
}
