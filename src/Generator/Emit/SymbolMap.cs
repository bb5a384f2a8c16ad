using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Emit;

/// <summary>
/// How code outside the constructor reads a dim's symbols: symbolic input dims are locals bound in the Forward
/// prologue; hyperparameters are read-only fields (<c>_embed</c>) that the constructor fills, recorded here so
/// only the fields actually read are declared.
/// </summary>
internal sealed class SymbolMap(ModelSpec spec, SortedDictionary<string, string> fields)
{
    private readonly HashSet<string> _bound = new(StringComparer.Ordinal);

    public bool IsBound(string symbol) => _bound.Contains(symbol);

    public void Bind(IEnumerable<string> symbols) => _bound.UnionWith(symbols);

    public string Map(string symbol)
    {
        if (_bound.Contains(symbol))
            return symbol;
        fields["_" + symbol] = spec.Parameters.FirstOrDefault(p => p.Name == symbol)?.Type ?? "long";
        return "_" + symbol;
    }

    public string Value(OpArg arg)
    {
        if (arg.Dim is not null)
            return arg.Dim.ToCode(Map);
        if (arg.Hyper is not null)
        {
            fields["_" + arg.Hyper] = spec.Parameters.First(p => p.Name == arg.Hyper).Type;
            return "_" + arg.Hyper;
        }

        return arg.Literal!;
    }
}
