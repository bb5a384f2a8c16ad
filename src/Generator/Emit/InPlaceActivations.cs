using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// When an activation may overwrite its input instead of allocating a new tensor (PyTorch's <c>inplace=True</c>):
/// a ReLU or LeakyReLU right after this member's own layer. That value is fresh (no argument, tap or alias of one)
/// and no layer of these kinds keeps its output for backward, so autograd stays correct and a full-size
/// intermediate is saved. Anything else (a member's input, the output of an activation or softmax, which their
/// backward needs, or of a nested model) keeps the out-of-place call.
/// </summary>
internal static class InPlaceActivations
{
    public static bool Allowed(OpPlan op, OpPlan? previous, MemberPlan member) =>
        op.Kind is "ReLU" or "LeakyReLU"
        && previous is { Kind: "Layer" }
        && member.Layer is { Repeat: null, Kind: "Linear" or "Conv2d" or "ConvTranspose2d" or "BatchNorm1d" or "BatchNorm2d" or "LayerNorm" };
}
