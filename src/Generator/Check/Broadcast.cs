using System.Collections.Generic;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>
/// PyTorch's broadcasting, decided at compile time: shapes align from the last dim, and each pair is equal or one
/// of them is 1. Two dims the generator cannot compare (an input dim and a hyperparameter) must be equal: that
/// becomes a guard.
/// </summary>
internal static class Broadcast
{
    /// <summary>The broadcast shape, or null when a pair of dims can never agree.</summary>
    public static EquatableArray<Dim>? Shape(CheckContext context, EquatableArray<Dim> left, EquatableArray<Dim> right, string guardMessage)
    {
        var rank = left.Count > right.Count ? left.Count : right.Count;
        var result = new Dim[rank];
        for (var i = 1; i <= rank; i++)
        {
            var a = i <= left.Count ? left[left.Count - i] : null;
            var b = i <= right.Count ? right[right.Count - i] : null;
            if (a is null || IsOne(a))
                result[rank - i] = b ?? a!;
            else if (b is null || IsOne(b))
                result[rank - i] = a;
            else if (context.CheckEqual(a, b, guardMessage))
                result[rank - i] = a;
            else
                return null;
        }

        return new List<Dim>(result).ToEquatableArray();
    }

    private static bool IsOne(Dim dim) => dim.IsConstant && dim.Value == 1;
}
