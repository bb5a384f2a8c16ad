using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// How code outside the constructor reads a dim's symbols: symbolic input dims are locals bound in the Forward
/// prologue; hyperparameters are the model's properties (<c>Embed</c>), or private fields where a property
/// name is taken, recorded here so only the fields actually read are declared.
/// </summary>
internal sealed class SymbolMap(ModelSpec spec, SortedDictionary<string, string> fields) // field → hyperparameter
{
    private readonly HashSet<string> _bound = new(StringComparer.Ordinal);

    public bool IsBound(string symbol) => _bound.Contains(symbol);

    public void Bind(IEnumerable<string> symbols) => _bound.UnionWith(symbols);

    public string Map(string symbol) => _bound.Contains(symbol) ? symbol : Hyperparameter(symbol);

    public string Value(OpArg arg) => arg.Dim?.ToCode(Map) ?? (arg.Hyper is not null ? Hyperparameter(arg.Hyper) : arg.Literal!);

    private string Hyperparameter(string name)
    {
        var accessor = HyperparameterNames.Accessor(spec, name);
        if (accessor.StartsWith("_", StringComparison.Ordinal))
            fields[accessor] = name;
        return accessor;
    }
}
