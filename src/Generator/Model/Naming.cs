using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace ModelDsl.Generator.Model;

/// <summary>Derives state-dict keys and C# identifiers from member names.</summary>
internal static class Naming
{
    /// <summary>PyTorch-style key: <c>UpConv1</c> → <c>up_conv1</c>, <c>LMHead</c> → <c>lm_head</c>.</summary>
    public static string SnakeCase(string name)
    {
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var acronymEnds = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (previousIsLowerOrDigit || acronymEnds)
                    text.Append('_');
                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>A local variable name: <c>UpConv1</c> → <c>upConv1</c>, escaped if it is a keyword.</summary>
    public static string CamelCase(string name)
    {
        var leading = 0;
        while (leading < name.Length && char.IsUpper(name[leading]))
            leading++;
        // "LMHead" → "lmHead"; "Fc1" → "fc1"; "X" → "x".
        var lower = leading <= 1 || leading == name.Length ? leading : leading - 1;
        var result = name.Substring(0, lower).ToLowerInvariant() + name.Substring(lower);
        return SyntaxFacts.GetKeywordKind(result) != SyntaxKind.None ? "@" + result : result;
    }

    /// <summary>Escapes an identifier that is a C# keyword.</summary>
    public static string Escape(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>The private field that holds a layer: <c>UpConv1</c> → <c>_upConv1</c>.</summary>
    public static string FieldName(string member) => "_" + CamelCase(member).TrimStart('@');

    /// <summary>The Forward local that holds an argument's shape: <c>x</c> → <c>xShape</c>.</summary>
    public static string ShapeLocal(string argument) => CamelCase(argument).TrimStart('@') + "Shape";
}
