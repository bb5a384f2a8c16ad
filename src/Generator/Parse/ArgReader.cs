using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generator.Model;

namespace ModelDsl.Generator.Parse;

/// <summary>Turns Roslyn's attribute constants into plain <see cref="ArgValue"/>s.</summary>
internal static class ArgReader
{
    public static ArgValue Read(TypedConstant constant)
    {
        if (constant.Kind == TypedConstantKind.Error)
            return ArgValue.Of(ArgKind.Other, "?");
        if (constant.Kind == TypedConstantKind.Array)
        {
            var items = constant.IsNull ? EquatableArray<ArgValue>.Empty : constant.Values.Select(Read).ToEquatableArray();
            return new ArgValue(ArgKind.Array, "", items);
        }

        return constant.Value switch
        {
            null => ArgValue.Of(ArgKind.Null, "null"),
            bool b => ArgValue.Of(ArgKind.Bool, b ? "true" : "false"),
            string s => ArgValue.Of(ArgKind.String, s),
            int or long or short or byte or sbyte or ushort or uint => ArgValue.Of(ArgKind.Int, Convert.ToInt64(constant.Value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)),
            double d => ArgValue.Of(ArgKind.Double, d.ToString("R", CultureInfo.InvariantCulture)),
            float f => ArgValue.Of(ArgKind.Double, ((double)f).ToString("R", CultureInfo.InvariantCulture)),
            _ => ArgValue.Of(ArgKind.Other, constant.Value.ToString() ?? "?"),
        };
    }
}
