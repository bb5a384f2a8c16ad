using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// TorchSharp's binary optimizer state, as <c>OptimizerHelper.save_state_dict</c> writes it (TorchSharp 0.107), read
/// field by field against the optimizer it is meant for, without changing that optimizer:
/// <code>
/// string type name | LEB128 group count | LEB128 parameter count
/// per group:     double initial lr | double lr | the optimizer's options
/// per parameter: the optimizer's state fields (step counts, moment tensors, optional tensors)
/// tensor: LEB128 dtype | LEB128 rank | rank × LEB128 size | the elements' bytes
/// </code>
/// TorchSharp's own reader trusts the stream: a forged rank allocates that many longs, a forged shape allocates that
/// tensor, and a failure halfway leaves the optimizer half loaded. A blob that passes <see cref="Check"/> is one that
/// TorchSharp reads to its last byte into this optimizer, with every tensor of its parameter's dtype and shape.
/// </summary>
internal static class OptimizerStateFormat
{
    private enum Kind
    {
        Double,
        Bool,
        Step,
        Tensor,
        OptionalTensor,
    }

    /// <summary>One field; an optional tensor may be required by an option (Adam's <c>amsgrad</c> needs <c>max_exp_avg_sq</c>).</summary>
    private sealed record Field(string Name, Kind Kind, Func<IReadOnlyDictionary<string, double>, bool>? RequiredWhen = null);

    /// <summary>The fields after the learning rates, and each parameter's state fields, in stream order.</summary>
    private sealed record Layout(Field[] Options, Field[] State);

    private static Field D(string name) => new(name, Kind.Double);
    private static Field B(string name) => new(name, Kind.Bool);
    private static Field Step(string name = "step") => new(name, Kind.Step);
    private static Field T(string name) => new(name, Kind.Tensor);
    private static Field Optional(string name, Func<IReadOnlyDictionary<string, double>, bool>? requiredWhen = null) => new(name, Kind.OptionalTensor, requiredWhen);

    // Read from each optimizer's SaveStateDict/LoadStateDict; OptimizerStateFormatTests round-trips every one.
    private static readonly Dictionary<Type, Layout> Layouts = new()
    {
        [typeof(SGD)] = new([D("momentum"), D("dampening"), D("weight_decay"), B("nesterov"), B("maximize")],
            [Optional("momentum_buffer")]),
        [typeof(Adam)] = new([D("beta1"), D("beta2"), D("eps"), D("weight_decay"), B("amsgrad"), B("maximize")],
            [Step(), T("exp_avg"), T("exp_avg_sq"), Optional("max_exp_avg_sq", o => o["amsgrad"] != 0)]),
        [typeof(AdamW)] = new([D("beta1"), D("beta2"), D("eps"), D("weight_decay"), B("amsgrad"), B("maximize")],
            [Step(), T("exp_avg"), T("exp_avg_sq"), Optional("max_exp_avg_sq", o => o["amsgrad"] != 0)]),
        [typeof(Adamax)] = new([D("beta1"), D("beta2"), D("eps"), D("weight_decay")],
            [Step(), T("exp_avg"), T("exp_inf")]),
        [typeof(NAdam)] = new([D("beta1"), D("beta2"), D("eps"), D("weight_decay"), D("momentum_decay")],
            [Step(), D("mu_product"), T("exp_avg"), T("exp_avg_sq")]),
        [typeof(RAdam)] = new([D("beta1"), D("beta2"), D("eps"), D("weight_decay")],
            [Step(), T("exp_avg"), T("exp_avg_sq")]),
        [typeof(RMSProp)] = new([B("maximize"), D("momentum"), D("alpha"), D("eps"), D("weight_decay"), B("centered")],
            [Step(), T("square_avg"), Optional("momentum_buffer", o => o["momentum"] > 0), Optional("grad_avg", o => o["centered"] != 0)]),
        [typeof(Rprop)] = new([B("maximize"), D("etaminus"), D("etaplus"), D("min_step"), D("max_step")],
            [Step(), T("prev"), T("step_size")]),
        [typeof(Adagrad)] = new([D("lr_decay"), D("initial_accumulator_value"), D("eps"), D("weight_decay")],
            [Step(), T("sum")]),
        [typeof(Adadelta)] = new([D("rho"), D("eps"), D("weight_decay"), B("maximize")],
            [Step(), T("square_avg"), T("acc_delta")]),
        [typeof(ASGD)] = new([B("maximize"), D("lambd"), D("alpha"), D("weight_decay"), D("t0")],
            [Step(), D("eta"), D("mu"), T("ax")]),
    };

    private const int MaxTypeName = 256;
    private const int MaxRank = 64;

    /// <summary>Whether a checkpoint can hold (and check) the state of <paramref name="optimizer"/>.</summary>
    public static bool IsSupported(OptimizerHelper optimizer) => Layouts.ContainsKey(optimizer.GetType());

    /// <summary>The optimizer types whose state a checkpoint holds, for messages.</summary>
    public static string SupportedNames => string.Join(", ", Layouts.Keys.Select(t => t.Name));

    /// <summary>
    /// Checks that <paramref name="blob"/> is exactly a state of <paramref name="optimizer"/>: its type, group and
    /// parameter counts, finite hyperparameters, non-negative step counts, booleans that are 0 or 1, every tensor of
    /// its parameter's dtype and shape, the tensors its options need, and no byte after the last field.
    /// </summary>
    /// <exception cref="InvalidDataException">The blob is not that; the message names <paramref name="fileName"/> and the field.</exception>
    /// <exception cref="NotSupportedException">The optimizer is not one of TorchSharp's built-in ones.</exception>
    public static void Check(byte[] blob, OptimizerHelper optimizer, string fileName)
    {
        var layout = Layouts.GetValueOrDefault(optimizer.GetType())
            ?? throw new NotSupportedException($"{fileName}: a checkpoint cannot restore the state of a {optimizer.GetType().FullName}; it holds that of {SupportedNames}.");
        var groups = optimizer.ParamGroups.Cast<ParamGroup>().Select(g => g.Parameters.ToList()).ToList();
        var reader = new BoundedReader(blob);
        try
        {
            reader.Section = "its type name";
            var typeName = reader.String(MaxTypeName);
            if (typeName != optimizer.GetType().Name)
                throw Corrupt(fileName, reader, $"expected '{optimizer.GetType().Name}'");

            reader.Section = "its parameter group count";
            if (reader.Leb128(int.MaxValue) != groups.Count)
                throw Corrupt(fileName, reader, $"expected {groups.Count}");
            reader.Section = "its parameter count";
            var parameterCount = groups.Sum(g => g.Count);
            if (reader.Leb128(int.MaxValue) != parameterCount)
                throw Corrupt(fileName, reader, $"expected {parameterCount}");

            var options = new List<Dictionary<string, double>>();
            for (var g = 0; g < groups.Count; g++)
            {
                var values = new Dictionary<string, double>();
                foreach (var field in new[] { D("initial_lr"), D("lr") }.Concat(layout.Options))
                {
                    reader.Section = $"option '{field.Name}' of parameter group #{g}";
                    values[field.Name] = ReadScalar(reader, field, fileName);
                }
                options.Add(values);
            }

            var index = 0;
            for (var g = 0; g < groups.Count; g++)
            {
                foreach (var parameter in groups[g])
                {
                    foreach (var field in layout.State)
                    {
                        reader.Section = $"'{field.Name}' of optimizer parameter #{index}";
                        CheckStateField(reader, field, parameter, options[g], fileName);
                    }
                    index++;
                }
            }

            if (reader.Remaining != 0)
                throw Invalid(fileName, $"the optimizer state has {reader.Remaining:N0} unexpected bytes after its last field");
        }
        catch (EndOfStreamException)
        {
            throw Invalid(fileName, $"the optimizer state is truncated: it ends inside {reader.Section}");
        }
    }

    private static double ReadScalar(BoundedReader reader, Field field, string fileName)
    {
        switch (field.Kind)
        {
            case Kind.Double:
                var value = reader.Double();
                if (!double.IsFinite(value))
                    throw Corrupt(fileName, reader, $"expected a finite number, found {value}");
                return value;
            case Kind.Bool:
                var flag = reader.Byte();
                if (flag > 1)
                    throw Corrupt(fileName, reader, $"expected a boolean (0 or 1), found {flag}");
                return flag;
            case Kind.Step:
                var step = reader.Int64();
                if (step < 0)
                    throw Corrupt(fileName, reader, $"expected a step count, found {step:N0}");
                return step;
            default:
                throw new ArgumentOutOfRangeException(nameof(field), field.Kind, "not a scalar field");
        }
    }

    private static void CheckStateField(BoundedReader reader, Field field, Parameter parameter, IReadOnlyDictionary<string, double> options, string fileName)
    {
        switch (field.Kind)
        {
            case Kind.Tensor:
                CheckTensor(reader, parameter, fileName);
                break;
            case Kind.OptionalTensor:
                var present = ReadScalar(reader, B(field.Name), fileName) != 0;
                if (present)
                    CheckTensor(reader, parameter, fileName);
                else if (field.RequiredWhen?.Invoke(options) == true)
                    throw Corrupt(fileName, reader, $"missing, but this parameter group's options need it");
                break;
            default:
                ReadScalar(reader, field, fileName);
                break;
        }
    }

    private static void CheckTensor(BoundedReader reader, Parameter parameter, string fileName)
    {
        var dtype = reader.Leb128(byte.MaxValue);
        if (dtype != (long)parameter.dtype)
            throw Corrupt(fileName, reader, $"expected a {parameter.dtype} tensor like its parameter, found dtype code {dtype?.ToString() ?? "(corrupt)"}");
        var shape = parameter.shape;
        var rank = reader.Leb128(MaxRank);
        if (rank != shape.Length)
            throw Corrupt(fileName, reader, $"expected rank {shape.Length} like its parameter [{string.Join(", ", shape)}], found {rank?.ToString() ?? "(corrupt)"}");
        for (var d = 0; d < shape.Length; d++)
        {
            if (reader.Leb128(long.MaxValue >> 1) != shape[d])
                throw Corrupt(fileName, reader, $"expected its parameter's shape [{string.Join(", ", shape)}]");
        }
        reader.Skip(parameter.numel() * parameter.ElementSize);
    }

    private static InvalidDataException Corrupt(string fileName, BoundedReader reader, FormattableString detail) =>
        Invalid(fileName, $"the optimizer state is corrupt at {reader.Section}: {FormattableString.Invariant(detail)}");

    private static InvalidDataException Invalid(string fileName, FormattableString message) =>
        new($"{fileName}: {FormattableString.Invariant(message)}");
}
