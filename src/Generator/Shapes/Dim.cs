using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace ModelDsl.Generator.Shapes;

/// <summary>
/// A tensor dimension as a canonical integer polynomial over symbols: hyperparameters (known when the
/// model is constructed) and symbolic input dims such as <c>B</c> (known only in <c>Forward</c>).
/// Floor division that does not divide exactly becomes an opaque atom. Two dims are equal when their
/// canonical forms are, so <c>2 * embed</c> equals <c>embed + embed</c>. Coefficients that leave the range of
/// <see cref="long"/> (or reach <see cref="long.MinValue"/>, which has no negation) throw <see cref="OverflowException"/>.
/// </summary>
internal sealed class Dim : IEquatable<Dim>
{
    // Terms keyed by their sorted factor list; the empty key is the constant term.
    private readonly SortedDictionary<string, Term> _terms;
    private readonly string _text;

    private Dim(SortedDictionary<string, Term> terms)
    {
        _terms = terms;
        _text = Render(a => a.Display, forCode: false);
    }

    public static Dim Const(long value) => FromTerms(new[] { new Term(Array.Empty<Atom>(), value) });

    public static Dim Symbol(string name) => FromTerms(new[] { new Term(new[] { Atom.Symbol(name) }, 1) });

    public bool IsConstant => _terms.Count == 0 || (_terms.Count == 1 && _terms.ContainsKey(""));

    /// <summary>The value of a constant dim; 0 for the empty polynomial.</summary>
    public long Value => _terms.TryGetValue("", out var t) && IsConstant ? t.Coefficient : 0;

    /// <summary>
    /// For a dim whose terms all have positive coefficients, the factors (symbols and divisions) whose
    /// positivity makes the whole dim positive; null otherwise.
    /// </summary>
    public IReadOnlyList<Dim>? PositiveFactors
        => _terms.Values.All(t => t.Coefficient > 0) && !_terms.ContainsKey("")
            ? _terms.Values.SelectMany(t => t.Factors).GroupBy(f => f.Display).Select(g => FromTerms(new[] { new Term(new[] { g.First() }, 1) })).ToList()
            : null;

    /// <summary>Whether every coefficient fits an <see cref="int"/>, so that the code of a dim of int symbols is an int.</summary>
    public bool HasIntCoefficients => _terms.Values.All(t => t.Coefficient >= int.MinValue && t.Coefficient <= int.MaxValue);

    /// <summary>Every symbol the dim mentions, including those inside opaque divisions.</summary>
    public IEnumerable<string> Symbols => _terms.Values.SelectMany(t => t.Factors).SelectMany(a => a.Symbols).Distinct();

    public static Dim operator +(Dim a, Dim b) => FromTerms(a._terms.Values.Concat(b._terms.Values));

    public static Dim operator -(Dim a, Dim b) => a + b * Const(-1);

    public static Dim operator *(Dim a, Dim b)
        => FromTerms(a._terms.Values.SelectMany(x => b._terms.Values.Select(y => new Term(x.Factors.Concat(y.Factors).ToArray(), checked(x.Coefficient * y.Coefficient)))));

    /// <summary>Floor division by a positive constant; exact when every coefficient divides.</summary>
    public Dim FloorDiv(long divisor)
    {
        if (divisor == 1)
            return this;
        if (IsConstant)
            return Const(FloorDivide(Value, divisor));
        if (_terms.Values.All(t => t.Coefficient % divisor == 0))
            return FromTerms(_terms.Values.Select(t => new Term(t.Factors, t.Coefficient / divisor)));
        return FromTerms(new[] { new Term(new[] { Atom.Division(this, divisor) }, 1) });
    }

    /// <summary>Whether this dim is a multiple of <paramref name="divisor"/> for every value of its symbols, when that is decidable.</summary>
    public bool? IsMultipleOf(long divisor)
        => IsConstant ? Value % divisor == 0
         : _terms.Values.All(t => t.Coefficient % divisor == 0) ? true : null;

    /// <summary>Replaces symbols with dims (hyperparameters of a nested model by the outer arguments).</summary>
    public Dim Substitute(Func<string, Dim?> replacement)
    {
        var result = Const(0);
        foreach (var term in _terms.Values)
        {
            var product = Const(term.Coefficient);
            foreach (var factor in term.Factors)
                product *= factor.Substitute(replacement);
            result += product;
        }

        return result;
    }

    /// <summary>C# source for this dim, mapping each symbol to an expression of type <see cref="long"/>.</summary>
    public string ToCode(Func<string, string> symbol) => Render(a => a.ToCode(symbol), forCode: true);

    public override string ToString() => _text;

    public bool Equals(Dim? other) => other is not null && other._text == _text;

    public override bool Equals(object? obj) => Equals(obj as Dim);

    public override int GetHashCode() => _text.GetHashCode();

    private static Dim FromTerms(IEnumerable<Term> terms)
    {
        var map = new SortedDictionary<string, Term>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            var factors = term.Factors.OrderBy(f => f.Display, StringComparer.Ordinal).ToArray();
            var key = string.Join("*", factors.Select(f => f.Display));
            var coefficient = checked(term.Coefficient + (map.TryGetValue(key, out var existing) ? existing.Coefficient : 0));
            if (coefficient == long.MinValue)
                throw new OverflowException("a size does not fit in a 64-bit integer");
            if (coefficient == 0)
                map.Remove(key);
            else
                map[key] = new Term(factors, coefficient);
        }

        return new Dim(map);
    }

    private string Render(Func<Atom, string> atom, bool forCode)
    {
        if (_terms.Count == 0)
            return "0";
        var text = new StringBuilder();
        // Symbolic terms first (highest degree first), the constant last: "4 * embed + 1".
        foreach (var term in _terms.Values.OrderByDescending(t => t.Factors.Length).ThenBy(t => string.Join("*", t.Factors.Select(f => f.Display)), StringComparer.Ordinal))
        {
            var coefficient = term.Coefficient;
            if (text.Length > 0)
            {
                text.Append(coefficient < 0 ? " - " : " + ");
                coefficient = Math.Abs(coefficient);
            }
            else if (coefficient < 0 && term.Factors.Length > 0)
            {
                text.Append('-');
                coefficient = -coefficient;
            }

            var parts = new List<string>();
            if (coefficient != 1 || term.Factors.Length == 0)
                parts.Add(coefficient.ToString(CultureInfo.InvariantCulture) + (forCode && Math.Abs(coefficient) > int.MaxValue ? "L" : ""));
            parts.AddRange(term.Factors.Select(atom));
            // A division needs parentheses only inside a product: "(size - 1) / 2 + 1", but "2 * (size / 4)".
            var alone = parts.Count == 1;
            text.Append(string.Join(" * ", parts.Select(p => p.Contains(" / ") && !alone ? "(" + p + ")" : p)));
        }

        return text.ToString();
    }

    private static long FloorDivide(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    private readonly struct Term
    {
        public Term(Atom[] factors, long coefficient) => (Factors, Coefficient) = (factors, coefficient);

        public Atom[] Factors { get; }

        public long Coefficient { get; }
    }

    private sealed class Atom
    {
        private readonly string? _symbol;
        private readonly Dim? _numerator;
        private readonly long _divisor;

        private Atom(string? symbol, Dim? numerator, long divisor, string display)
            => (_symbol, _numerator, _divisor, Display) = (symbol, numerator, divisor, display);

        public string Display { get; }

        public IEnumerable<string> Symbols => _symbol is not null ? new[] { _symbol } : _numerator!.Symbols;

        public static Atom Symbol(string name) => new(name, null, 0, name);

        public static Atom Division(Dim numerator, long divisor)
            => new(null, numerator, divisor, Operand(numerator.ToString()) + " / " + divisor.ToString(CultureInfo.InvariantCulture));

        // A numerator that is a single symbol needs no parentheses: "size / 4", "(size - 1) / 2".
        private static string Operand(string text) => text.All(c => char.IsLetterOrDigit(c) || c == '_') ? text : "(" + text + ")";

        public Dim Substitute(Func<string, Dim?> replacement)
            => _symbol is not null ? replacement(_symbol) ?? Dim.Symbol(_symbol) : _numerator!.Substitute(replacement).FloorDiv(_divisor);

        // Operands are non-negative sizes, so C#'s truncating division is the floor.
        public string ToCode(Func<string, string> symbol)
            => _symbol is not null ? symbol(_symbol) : Operand(_numerator!.ToCode(symbol)) + " / " + _divisor.ToString(CultureInfo.InvariantCulture);
    }
}
