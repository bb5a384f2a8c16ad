namespace ModelDsl.Generator.Parse;

/// <summary>Metadata names the parser recognises, taken from the attribute classes themselves.</summary>
internal static class KnownNames
{
    private const string Dsl = "ModelDsl.";
    public const string ModelAttribute = Dsl + nameof(ModelDsl.ModelAttribute);
    public const string ProgressiveColumnAttribute = Dsl + nameof(ModelDsl.ProgressiveColumnAttribute);
    public const string GanAttribute = Dsl + nameof(ModelDsl.GanAttribute);
    public const string ShapeAttribute = Dsl + nameof(ModelDsl.ShapeAttribute);
    public const string LayerAttribute = Dsl + nameof(ModelDsl.LayerAttribute);
    public const string StepAttribute = Dsl + nameof(ModelDsl.StepAttribute);
    public const string Tensor = "TorchSharp.torch+Tensor";
    public const string ModuleList = "TorchSharp.Modules.ModuleList`1";
}
