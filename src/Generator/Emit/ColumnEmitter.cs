using System.Linq;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// The members a progressive column adds (Rusu et al. 2016): its layer count and its lateral adapters, whose
/// shapes follow from the declaration: <c>V</c> maps the earlier columns' concatenated inputs to layer
/// <c>i</c> back to one column's width (a 1×1 convolution for images), <c>U</c> has the layer's geometry.
/// A dense layer on a flattened map takes the maps: <c>V</c> is a 1×1 convolution, flattened before <c>U</c>.
/// </summary>
internal static class ColumnEmitter
{
    public static void EmitMembers(IndentedWriter w, EquatableArray<ColumnLayerPlan> column, SymbolMap symbols)
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
                    string Code(Dim dim) => dim.ToCode(symbols.Map);
                    var width = Code(layer.Adapter.InWidth);
                    var output = Code(layer.Adapter.OutWidth);
                    var flattened = layer.Adapter is FlattenedMapAdapterPlan;
                    w.Line($"// {layer.Member}: laterals from [{string.Join(", ", layer.InputShape)}] of each earlier column{(flattened ? ", flattened after V" : "")}");
                    w.Line(layer.Adapter switch
                    {
                        FlattenedMapAdapterPlan map => $"new({CodeNames.Nn}.Conv2d({width} * previousColumns, {width}, 1), {CodeNames.Nn}.Linear({Code(map.Features)}, {output}, hasBias: false), flatten: true),",
                        ConvAdapterPlan conv => $"new({CodeNames.Nn}.Conv2d({width} * previousColumns, {width}, 1), {CodeNames.Nn}.Conv2d({width}, {output}, {Code(conv.Kernel)}, stride: {Code(conv.Stride)}, padding: {Code(conv.Padding)}, bias: false)),",
                        _ => $"new({CodeNames.Nn}.Linear({width} * previousColumns, {width}), {CodeNames.Nn}.Linear({width}, {output}, hasBias: false)),",
                    });
                }
            }

            w.Line("};");
        }
    }
}
