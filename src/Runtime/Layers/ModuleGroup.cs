using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// A container of modules and nothing else, as PyTorch nests modules: a layer declared with <c>Key = "transformer.wte"</c>
/// is registered as <c>wte</c> in a group registered as <c>transformer</c>, so its weight's key is
/// <c>transformer.wte.weight</c>. Generated models create groups; forward code calls the layers directly.
/// </summary>
public sealed class ModuleGroup(string name) : nn.Module(name)
{
}
