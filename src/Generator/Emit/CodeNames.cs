namespace ModelDsl.Generator.Emit;

/// <summary>Fully qualified names used by generated code.</summary>
internal static class CodeNames
{
    public const string Tensor = "global::TorchSharp.torch.Tensor";
    public const string Nn = "global::TorchSharp.torch.nn";
    public const string Functional = "global::TorchSharp.torch.nn.functional";
    public const string Torch = "global::TorchSharp.torch";
    public const string ShapeMismatch = "global::ModelDsl.ShapeMismatchException";
    public const string ArgumentChecks = "global::ModelDsl.ArgumentChecks";
    public const string TensorArgument = "global::ModelDsl.TensorArgumentException";
    public const string ModuleList = "global::TorchSharp.Modules.ModuleList";
    public const string TensorList = "global::System.Collections.Generic.IList<global::TorchSharp.torch.Tensor>";
    public const string LateralHook = "global::System.Func<int, global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>";
    public const string AdapterList = "global::System.Collections.Generic.IReadOnlyList<global::ModelDsl.Progressive.LateralAdapter>";
    public const string ColumnInterface = "global::ModelDsl.Progressive.IProgressiveColumn";

    /// <summary>The attribute every generated type carries, as .NET's generators mark theirs.</summary>
    public static readonly string GeneratedCode = $"[global::System.CodeDom.Compiler.GeneratedCode(\"ModelDsl.Generator\", \"{typeof(CodeNames).Assembly.GetName().Version}\")]";
}
