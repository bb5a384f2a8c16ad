using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Shapes;

/// <summary>Formats shapes the way diagnostics, docs and runtime errors print them: <c>[B, 1, 28, 28]</c>.</summary>
internal static class ShapeText
{
    public static string Format(IEnumerable<Dim> shape) => "[" + string.Join(", ", shape.Select(d => d.ToString())) + "]";

    public static EquatableArray<Dim> Shape(params Dim[] dims) => dims.ToEquatableArray();

    public static EquatableArray<Dim> With(this EquatableArray<Dim> shape, int index, Dim dim)
        => shape.Select((d, i) => i == index ? dim : d).ToEquatableArray();

    /// <summary>The product of the dims from <paramref name="start"/> on.</summary>
    public static Dim Product(this EquatableArray<Dim> shape, int start)
    {
        var product = Dim.Const(1);
        for (var i = start; i < shape.Count; i++)
            product *= shape[i];
        return product;
    }
}
