using System;
using System.Globalization;

namespace ModelDsl.Generator.Shapes;

/// <summary>
/// Parses the small integer expressions allowed in attribute arguments, such as <c>"4 * embed"</c> or
/// <c>"(size - 1) / 2"</c>: integers, identifiers, + - * / % and parentheses. Division and remainder need a
/// constant right operand.
/// </summary>
internal sealed class DimExpression
{
    private readonly string _text;
    private readonly Func<string, Dim?> _resolve;
    private int _position;

    private DimExpression(string text, Func<string, Dim?> resolve) => (_text, _resolve) = (text, resolve);

    /// <summary>The outcome of parsing: a dim, or an error, or the first identifier that did not resolve.</summary>
    public readonly record struct Result(Dim? Dim, string? Error, string? UnknownIdentifier);

    public static Result Parse(string text, Func<string, Dim?> resolve)
    {
        var parser = new DimExpression(text, resolve);
        try
        {
            var dim = parser.ParseSum();
            parser.SkipSpaces();
            if (parser._position < text.Length)
                return new Result(null, $"unexpected '{text[parser._position]}' at position {parser._position + 1}", null);
            return new Result(dim, null, null);
        }
        catch (UnknownIdentifierException e)
        {
            return new Result(null, null, e.Identifier);
        }
        catch (FormatException e)
        {
            return new Result(null, e.Message, null);
        }
        catch (OverflowException)
        {
            return new Result(null, "its value does not fit in a 64-bit integer", null);
        }
    }

    private Dim ParseSum()
    {
        var left = ParseProduct();
        while (true)
        {
            if (Accept('+'))
                left += ParseProduct();
            else if (Accept('-'))
                left -= ParseProduct();
            else
                return left;
        }
    }

    private Dim ParseProduct()
    {
        var left = ParseUnary();
        while (true)
        {
            if (Accept('*'))
            {
                left *= ParseUnary();
            }
            else if (Accept('/'))
            {
                var right = ParseUnary();
                left = left.FloorDiv(PositiveConstant(right, "/"));
            }
            else if (Accept('%'))
            {
                var right = ParseUnary();
                var divisor = PositiveConstant(right, "%");
                if (!left.IsConstant)
                    throw new FormatException("'%' needs constant operands");
                left = Dim.Const(((left.Value % divisor) + divisor) % divisor);
            }
            else
            {
                return left;
            }
        }
    }

    private Dim ParseUnary() => Accept('-') ? Dim.Const(-1) * ParseUnary() : ParseAtom();

    private Dim ParseAtom()
    {
        SkipSpaces();
        if (_position >= _text.Length)
            throw new FormatException("unexpected end of expression");
        var c = _text[_position];
        if (Accept('('))
        {
            var inner = ParseSum();
            if (!Accept(')'))
                throw new FormatException("missing ')'");
            return inner;
        }

        if (char.IsDigit(c))
        {
            var start = _position;
            while (_position < _text.Length && char.IsDigit(_text[_position]))
                _position++;
            if (!long.TryParse(_text.Substring(start, _position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > int.MaxValue)
                throw new FormatException("number too large");
            return Dim.Const(value);
        }

        if (char.IsLetter(c) || c == '_')
        {
            var start = _position;
            while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
                _position++;
            var name = _text.Substring(start, _position - start);
            return _resolve(name) ?? throw new UnknownIdentifierException(name);
        }

        throw new FormatException($"unexpected '{c}' at position {_position + 1}");
    }

    private static long PositiveConstant(Dim dim, string op)
    {
        if (!dim.IsConstant || dim.Value <= 0)
            throw new FormatException($"the right operand of '{op}' must be a positive constant");
        return dim.Value;
    }

    private bool Accept(char c)
    {
        SkipSpaces();
        if (_position < _text.Length && _text[_position] == c)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void SkipSpaces()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
            _position++;
    }

    private sealed class UnknownIdentifierException(string identifier) : Exception
    {
        public string Identifier { get; } = identifier;
    }
}
