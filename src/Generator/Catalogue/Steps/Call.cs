using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Check;
using ModelDsl.Generator.Diagnostics;
using ModelDsl.Generator.Emit;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;
using ModelDsl.Generator.Shapes;

namespace ModelDsl.Generator.Catalogue.Steps;

/// <summary>
/// <c>[Call(nameof(Method), taps…)]</c>: the escape hatch. The model's own method receives the value and the taps;
/// its <c>[Shape]</c> contract is matched against them at compile time, and its result is checked against
/// <see cref="Result"/> at run time.
/// </summary>
internal sealed record CallOp(string Method, EquatableArray<TapRef> With, EquatableArray<Dim> Result, string Contract) : Op
{
    public override string Name => Method;

    public override IEnumerable<TapUse> Reads => With.Select(t => new TapUse(t, ValueUse.Values));

    public override void Lower(ForwardLowering f)
    {
        var arguments = new[] { f.Value }.Concat(With.Select(f.Local));
        f.Assign($"{Naming.Escape(Method)}({string.Join(", ", arguments)})");
        var dims = string.Concat(Result.Select(d => ", " + f.Code(d)));
        f.Line($"global::ModelDsl.ResultChecks.Shape(nameof({f.Model}), \"{CodeText.Escape(Method)}\", \"{Contract}\", {f.Target}{dims});");
    }

    public override string? OnnxGap(OnnxSite site) => $"[Call({Method})] runs a C# method, which an ONNX graph cannot hold";

    public static Checked? Check(StepContext s)
    {
        var name = s.Step.Get(nameof(CallAttribute.Method)) is { Kind: ArgKind.String, Text.Length: > 0 } arg ? arg.Text : null;
        if (name is null)
            return s.WrongType("Method must name a method of the model, e.g. nameof(Reparameterize)");
        var spec = s.Model.Spec;
        var candidates = spec.Methods.Where(m => m.Name == name).ToList();
        if (candidates.Count == 0)
        {
            return spec.MemberNames.Contains(name)
                ? s.Fail(DiagnosticDescriptors.CallTargetUnusable, name, s.MemberName, "it declares no shape contract: put [Shape(...)] on each parameter and [return: Shape(...)] on the method")
                : s.Fail(DiagnosticDescriptors.UnknownCallTarget, name, s.MemberName, spec.Name);
        }

        if (candidates.Count > 1)
            return s.Fail(DiagnosticDescriptors.CallTargetUnusable, name, s.MemberName, "it is overloaded; give the step method a name of its own");
        var method = candidates[0];
        if (method.Problem is { } problem)
            return s.Fail(DiagnosticDescriptors.CallTargetUnusable, name, s.MemberName, problem);

        var with = s.TapList(nameof(CallAttribute.With));
        if (with is null)
            return null;
        if (method.Parameters.Count != with.Count + 1)
            return s.Fail(DiagnosticDescriptors.CallTargetUnusable, name, s.MemberName,
                $"it takes {method.Parameters.Count} parameter(s) but receives {with.Count + 1} (the flowing value plus With)");

        var contract = new ShapeContract(s.Model);
        var received = new[] { s.Shape }.Concat(with.Select(t => t.Shape)).ToList();
        for (var i = 0; i < received.Count; i++)
        {
            var parameter = method.Parameters[i];
            var declared = parameter.Shape!.Value;
            if (contract.Match(declared, received[i], $"{name} on '{s.MemberName}': parameter '{parameter.Name}' expects {Format(declared)}") is { } mismatch)
                return s.Fail(DiagnosticDescriptors.CallShapeMismatch, name, s.MemberName, parameter.Name, Format(declared), ShapeText.Format(received[i]), mismatch);
        }

        var result = contract.Resolve(method.ReturnShape!.Value, out var unresolved);
        if (result is null)
            return s.Fail(DiagnosticDescriptors.CallTargetUnusable, name, s.MemberName, "its return shape " + Format(method.ReturnShape!.Value) + ": " + unresolved);
        var op = new CallOp(name, with.Select(t => t.Ref).ToEquatableArray(), result.Value, Format(method.ReturnShape!.Value));
        return new Checked(op, result.Value);
    }

    private static string Format(EquatableArray<ArgValue> declared) => "[" + string.Join(", ", declared.Select(a => a.Kind == ArgKind.String ? a.Text : a.ToString())) + "]";
}
