using System.Linq;
using ModelDsl.Generator.Catalogue.Layers;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Check;

/// <summary>
/// When Forward declares another height and width than its last convolution gives, the padding (or, for a transposed
/// convolution, the output padding) that gives the declared ones, if one does: a 7×7 → 13×13 transposed convolution
/// declared to return 14×14 needs <c>OutputPadding = 1</c>.
/// </summary>
internal static class PaddingRepair
{
    /// <summary>The message's hint and the code fix, or null when no padding of that layer gives <paramref name="declared"/>.</summary>
    public static (string Hint, Fix Fix)? For(CheckContext context, MemberPlan member, EquatableArray<Dim> declared)
    {
        var produced = member.OutputShape;
        if (produced.Count != 4 || declared.Count != 4 || !produced[0].Equals(declared[0]) || !produced[1].Equals(declared[1])
            || !declared[2].IsConstant || !declared[3].IsConstant)
            return null;

        // The layer's own output must reach the return unchanged in height and width.
        var layerAt = member.Ops.ToList().FindIndex(o => o.Op is Layer);
        if (layerAt < 0 || member.Ops.Skip(layerAt).Any(o => o.Output.Count != 4 || !o.Output[2].Equals(produced[2]) || !o.Output[3].Equals(produced[3])))
            return null;
        var input = layerAt == 0 ? member.InputShape : member.Ops[layerAt - 1].Output;
        if (!input[2].IsConstant || !input[3].IsConstant)
            return null;

        var (height, width) = (declared[2].Value, declared[3].Value);
        var (argument, value, attribute) = member.Layer switch
        {
            ConvTranspose2dLayer t => Transposed(t, input[2].Value, input[3].Value, height, width),
            Conv2dLayer c => Convolution(c, input[2].Value, input[3].Value, height, width),
            _ => (null, 0, null),
        };
        if (argument is null)
            return null;

        var target = context.Spec.Members.First(m => m.Name == member.Name).Steps.FirstOrDefault(s => s.AttributeName == attribute)?.Location;
        return ($"; {argument} = {value} gives {ShapeText.Format(declared)}", Fix.SetArgument(target, argument, value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    // (H − 1)·s − 2p + k + op: first the output padding (below the stride), else a padding.
    private static (string?, long, string?) Transposed(ConvTranspose2dLayer layer, long inHeight, long inWidth, long height, long width)
    {
        if (!layer.Kernel.IsConstant || !layer.Stride.IsConstant || !layer.Padding.IsConstant || !layer.OutputPadding.IsConstant)
            return (null, 0, null);
        var (k, s, p, op) = (layer.Kernel.Value, layer.Stride.Value, layer.Padding.Value, layer.OutputPadding.Value);
        long Size(long input, long padding, long outputPadding) => ((input - 1) * s) - (2 * padding) + k + outputPadding;
        for (var candidate = 0L; candidate < s; candidate++)
        {
            if (candidate != op && Size(inHeight, p, candidate) == height && Size(inWidth, p, candidate) == width)
                return (nameof(ConvTranspose2dAttribute.OutputPadding), candidate, nameof(ConvTranspose2dAttribute));
        }

        for (var candidate = 0L; candidate <= k; candidate++)
        {
            if (candidate != p && Size(inHeight, candidate, op) == height && Size(inWidth, candidate, op) == width)
                return (nameof(ConvTranspose2dAttribute.Padding), candidate, nameof(ConvTranspose2dAttribute));
        }

        return (null, 0, null);
    }

    // floor((H + 2p − k) / s) + 1 for the paddings a kernel allows.
    private static (string?, long, string?) Convolution(Conv2dLayer layer, long inHeight, long inWidth, long height, long width)
    {
        if (!layer.Kernel.IsConstant || !layer.Stride.IsConstant || !layer.Padding.IsConstant)
            return (null, 0, null);
        var (k, s, p) = (layer.Kernel.Value, layer.Stride.Value, layer.Padding.Value);
        long Size(long input, long padding) => input + (2 * padding) - k < 0 ? 0 : ((input + (2 * padding) - k) / s) + 1;
        for (var candidate = 0L; candidate <= k; candidate++)
        {
            if (candidate != p && Size(inHeight, candidate) == height && Size(inWidth, candidate) == width)
                return (nameof(Conv2dAttribute.Padding), candidate, nameof(Conv2dAttribute));
        }

        return (null, 0, null);
    }
}
