using System.Linq;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// Each constructor hyperparameter is exposed as a read-only property in PascalCase (<c>blockSize</c> →
/// <c>BlockSize</c>) unless the class already has a member of that name; then generated code keeps it in a
/// private field (<c>_blockSize</c>).
/// </summary>
internal static class HyperparameterNames
{
    public static string? Property(ModelSpec spec, string parameter)
    {
        var name = char.ToUpperInvariant(parameter[0]) + parameter.Substring(1);
        var taken = name == spec.Name || spec.MemberNames.Contains(name) || spec.Parameters.Count(p => char.ToUpperInvariant(p.Name[0]) + p.Name.Substring(1) == name) > 1
            || name is "ParameterCount" or "Summary" or "Forward" or "LayerCount" or "ForwardColumn" or "CreateLateralAdapters";
        return taken ? null : name;
    }

    public static string Accessor(ModelSpec spec, string parameter) => Property(spec, parameter) ?? "_" + parameter;
}
