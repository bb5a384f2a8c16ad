using System.Globalization;
using System.Linq;

namespace ModelDsl.Generator.Emit;

/// <summary>C# source for literals and calls, as generated code writes them.</summary>
internal static class CodeText
{
    /// <summary>A double as C# reads it back exactly: <c>0.2</c>, <c>1E-05</c>.</summary>
    public static string Real(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A call with the non-null arguments: optional arguments pass null to be left out.</summary>
    public static string Call(string function, params string?[] args) => $"{function}({string.Join(", ", args.Where(a => a is not null))})";

    /// <summary>A named argument, or null (left out) when it has its default.</summary>
    public static string? Optional(string name, string value, string defaultValue) => value == defaultValue ? null : name + ": " + value;

    /// <summary>Escapes text for a C# string literal.</summary>
    public static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
