using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// The members a progressive column adds (Rusu et al. 2016): its layer count and its lateral adapters, whose
/// shapes follow from the declaration: <c>V</c> maps the earlier columns' concatenated inputs to layer
/// <c>i</c> back to one column's width (a 1×1 convolution for images), <c>U</c> has the layer's geometry.
/// A dense layer on a flattened map takes the maps: <c>V</c> is a 1×1 convolution, flattened before <c>U</c>.
/// </summary>
internal static class ColumnEmitter
{
    public static void EmitMembers(IndentedWriter w, ModelPlan plan, EquatableArray<ColumnLayerPlan> column, SymbolMap symbols)
    {
        w.Line("/// <inheritdoc/>");
        w.Line($"public int LayerCount => {column.Count};");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line($"public {CodeNames.AdapterList} CreateLateralAdapters(int previousColumns) =>");
        using (w.Indent())
        {
            w.Line("new global::ModelDsl.Progressive.LateralAdapter[]");
            w.Line("{");
            using (w.Indent())
            {
                foreach (var layer in column.Skip(1))
                {
                    var width = layer.InWidth.ToCode(symbols.Map);
                    var output = layer.OutWidth.ToCode(symbols.Map);
                    w.Line($"// {layer.Member}: laterals from [{string.Join(", ", layer.InputShape)}] of each earlier column{(layer.FlattenedMap ? ", flattened after V" : "")}");
                    if (layer.FlattenedMap)
                    {
                        var features = layer.InputShape.Product(1).ToCode(symbols.Map);
                        w.Line($"new({CodeNames.Nn}.Conv2d({width} * previousColumns, {width}, 1), {CodeNames.Nn}.Linear({features}, {output}, hasBias: false), flatten: true),");
                    }
                    else if (layer.Kind == "Conv2d")
                    {
                        var kernel = layer.Kernel!.ToCode(symbols.Map);
                        var stride = layer.Stride!.ToCode(symbols.Map);
                        var padding = layer.Padding!.ToCode(symbols.Map);
                        w.Line($"new({CodeNames.Nn}.Conv2d({width} * previousColumns, {width}, 1), {CodeNames.Nn}.Conv2d({width}, {output}, {kernel}, stride: {stride}, padding: {padding}, bias: false)),");
                    }
                    else
                    {
                        w.Line($"new({CodeNames.Nn}.Linear({width} * previousColumns, {width}), {CodeNames.Nn}.Linear({width}, {output}, hasBias: false)),");
                    }
                }
            }

            w.Line("};");
        }
    }
}
