using System;
using System.Collections.Generic;
using ModelDsl.Generator.Model;
using ModelDsl.Generator.Plan;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// How <c>Forward</c> code reads a dim's symbols: symbolic input dims are locals bound in the prologue;
/// hyperparameters are the model's properties (<c>Embed</c>), or private fields where a property name is taken.
/// It records what it was asked for, so the prologue declares only the locals the code reads and the class only the
/// fields it reads.
/// </summary>
internal sealed class SymbolMap(ModelSpec spec, IEnumerable<string> runtimeSymbols)
{
    private readonly HashSet<string> _runtime = new(runtimeSymbols, StringComparer.Ordinal);

    /// <summary>The symbolic input dims read so far.</summary>
    public HashSet<string> RuntimeSymbolsRead { get; } = new(StringComparer.Ordinal);

    /// <summary>The private fields read so far, each with its hyperparameter.</summary>
    public SortedDictionary<string, string> FieldsRead { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether a symbol is an input dim bound in <c>Forward</c> rather than a hyperparameter.</summary>
    public bool IsRuntime(string symbol) => _runtime.Contains(symbol);

    public string Map(string symbol)
    {
        if (!_runtime.Contains(symbol))
            return Hyperparameter(symbol);
        RuntimeSymbolsRead.Add(symbol);
        return symbol;
    }

    public string Hyperparameter(string name)
    {
        var accessor = HyperparameterNames.Accessor(spec, name);
        if (accessor.StartsWith("_", StringComparison.Ordinal))
            FieldsRead[accessor] = name;
        return accessor;
    }
}
