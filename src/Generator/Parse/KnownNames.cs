namespace ModelDsl.Generator.Parse;

/// <summary>Metadata names the parser recognises.</summary>
internal static class KnownNames
{
    public const string ModelAttribute = "ModelDsl.ModelAttribute";
    public const string ProgressiveColumnAttribute = "ModelDsl.ProgressiveColumnAttribute";
    public const string GanAttribute = "ModelDsl.GanAttribute";
    public const string ShapeAttribute = "ModelDsl.ShapeAttribute";
    public const string LayerAttribute = "ModelDsl.LayerAttribute";
    public const string StepAttribute = "ModelDsl.StepAttribute";
    public const string Tensor = "TorchSharp.torch+Tensor";
    public const string ModuleList = "TorchSharp.Modules.ModuleList`1";
}
