using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using ModelDsl.Generator.Tests.Infrastructure;

namespace ModelDsl.Generator.Tests.Fuzz;

/// <summary>
/// Mutates DSL source text, deterministically for a given <see cref="Random"/>: token deletions, insertions and
/// swaps (Roslyn's tokens), attribute arguments of the wrong type or out of range, mangled dimension expressions,
/// attributes removed, duplicated, reordered or renamed, members renamed, removed, duplicated or retyped, Forward
/// and its Shape attributes broken, the class and its constructor broken. Every operator edits the text through the
/// spans of a fresh parse, so mutations compose.
/// </summary>
internal sealed class SourceMutator
{
    private readonly Random _rng;
    private readonly IReadOnlyList<string> _classNames;
    private readonly (string Name, int Weight, Func<Context, string?> Apply)[] _operators;
    private readonly int _totalWeight;

    public SourceMutator(Random rng, IReadOnlyList<string> classNames)
    {
        _rng = rng;
        _classNames = classNames;
        _operators =
        [
            ("DeleteToken", 8, DeleteToken),
            ("DeleteTokenRun", 4, DeleteTokenRun),
            ("InsertToken", 8, InsertToken),
            ("SwapTokens", 3, SwapTokens),
            ("DuplicateToken", 2, DuplicateToken),
            ("LineEdit", 3, LineEdit),
            ("ArgumentWrongType", 10, ArgumentWrongType),
            ("ArgumentExtremeNumber", 8, ArgumentExtremeNumber),
            ("MangleExpression", 12, MangleExpression),
            ("ArgumentArity", 5, ArgumentArity),
            ("RemoveAttribute", 5, RemoveAttribute),
            ("DuplicateAttribute", 3, DuplicateAttribute),
            ("ReorderAttributes", 3, ReorderAttributes),
            ("InsertAttribute", 6, InsertAttribute),
            ("RenameAttribute", 4, RenameAttribute),
            ("RemoveMember", 5, RemoveMember),
            ("RenameMember", 5, RenameMember),
            ("DuplicateMember", 4, DuplicateMember),
            ("ChangePropertyType", 5, ChangePropertyType),
            ("ChangePropertyShape", 4, ChangePropertyShape),
            ("BreakForward", 6, BreakForward),
            ("BreakShape", 8, BreakShape),
            ("BreakClass", 5, BreakClass),
            ("BreakConstructor", 4, BreakConstructor),
            ("AddConstant", 2, AddConstant),
            ("BreakGan", 3, BreakGan),
        ];
        _totalWeight = _operators.Sum(o => o.Weight);
    }

    /// <summary>Applies <paramref name="count"/> mutations; returns the new text and a description of each.</summary>
    public (string Text, IReadOnlyList<string> Operations) Mutate(string text, string path, int count)
    {
        var operations = new List<string>();
        for (int i = 0; i < count; i++)
        {
            for (int attempt = 0; attempt < 30; attempt++)
            {
                var op = PickOperator();
                var context = new Context(text, GeneratorHarness.Parse(text, path), _rng, _classNames);
                string? result = op.Apply(context);
                if (result is not null && !string.Equals(result, text, StringComparison.Ordinal))
                {
                    text = result;
                    operations.Add(context.Note is null ? op.Name : $"{op.Name}: {context.Note}");
                    break;
                }
            }
        }

        return (text, operations);
    }

    private (string Name, int Weight, Func<Context, string?> Apply) PickOperator()
    {
        int roll = _rng.Next(_totalWeight);
        foreach (var op in _operators)
        {
            if (roll < op.Weight)
            {
                return op;
            }

            roll -= op.Weight;
        }

        return _operators[^1];
    }

    // ---------------------------------------------------------------- catalogues

    /// <summary>Attribute argument values of every type the DSL may or may not accept.</summary>
    private static readonly string[] WrongTypeValues =
    [
        "\"3\"", "\"x\"", "\"\"", "\"same\"", "\"B\"", "3", "0", "1", "-1", "3.0", "0.5", "1.5f", "true", "false",
        "typeof(int)", "typeof(Linear)", "typeof(Tensor)", "null", "(object)null", "default", "new[] { 3 }", "new[] { \"x\", \"y\" }",
        "new object[] { \"embed\", 2 }", "new object[0]", "new int[0]", "new string[] { null }", "new[] { new[] { 1 } }", "'c'",
        "3L", "3u", "(byte)3", "(short)-3", "ulong.MaxValue", "nameof(Forward)", "nameof(Unknown)", "1 + 2", "\"a\" + \"b\"",
        "new[] { typeof(int) }", "typeof(System.Collections.Generic.List<>)", "double.NaN", "float.NegativeInfinity",
    ];

    private static readonly string[] ExtremeNumbers =
    [
        "0", "-1", "-2", "-0", "-2147483648", "2147483647", "int.MaxValue", "int.MinValue", "2147483648", "4294967296",
        "9223372036854775807", "-9223372036854775807", "long.MaxValue", "long.MinValue", "ulong.MaxValue", "1e308", "-1e308",
        "1e-308", "double.Epsilon", "double.MaxValue", "double.NaN", "double.PositiveInfinity", "double.NegativeInfinity",
        "-0.0", "0.0", "1.0", "2.5", "-0.5", "float.MaxValue", "1000000", "65536", "46341", "3037000500", "(byte)255", "(sbyte)-128",
        "'\\0'", "(ushort)65535", "uint.MaxValue",
    ];

    private static readonly string[] AttributeCatalogue =
    [
        "Linear(10)", "Linear(\"{hp}\")", "Linear({num}, {num})", "Linear(\"{hp}\", Bias = false, TiedTo = \"{member}\")",
        "Conv2d(4)", "Conv2d({num}, Kernel = {num}, Stride = {num}, Padding = \"same\")", "Conv2d(\"{hp}\", Padding = {num})",
        "ConvTranspose2d(2, Stride = 2, Padding = \"same\")", "ConvTranspose2d({num}, Kernel = 5, Padding = 2, OutputPadding = {num})",
        "MaxPool2d(2)", "MaxPool2d({num}, Stride = {num}, Padding = {num})", "AvgPool2d(3, Stride = 1, Padding = 1)", "AvgPool2d(\"{hp}\")",
        "BatchNorm1d", "BatchNorm2d", "BatchNorm2d(Eps = 0, Momentum = -1)", "LayerNorm", "LayerNorm(Bias = false)",
        "Embedding(10, 4)", "Embedding(\"{hp}\", \"{hp}\", Scaled = true)", "Dropout(0.5)", "Dropout(\"{hp}\")", "Dropout(1.5)",
        "Flatten", "Flatten(StartDim = {num})", "Reshape(2, -1)", "Reshape(\"{hp}\", 1)", "Reshape()", "ReLU", "LeakyReLU(0.2)", "LeakyReLU",
        "GELU", "Tanh", "Sigmoid", "Softmax", "Softmax(Dim = {num})", "LogSoftmax(Dim = 1)", "Residual", "Residual(From = \"{tap}\")",
        "Input(\"{tap}\")", "Input(\"nowhere\")", "Concat(\"{tap}\")", "Concat(\"{tap}\", \"{tap}\", Dim = {num})", "Concat()",
        "Nested", "Nested({num}, \"{hp}\", Repeat = {num})", "Nested(Repeat = \"{hp}\", Inputs = new[] { \"{tap}\" })",
        "CausalSelfAttention(Heads = {num})", "CausalSelfAttention(Heads = \"{hp}\", Dropout = \"{hp}\")",
        "Attention(Heads = 2, Memory = \"{tap}\", KeyPadding = \"{tap}\")", "Attention(Causal = true)", "PositionalEmbedding({num})",
        "PositionalEmbedding(\"{hp}\")", "SinusoidalEncoding", "Shape(\"B\", {num})", "Shape()", "Model", "ProgressiveColumn",
        "Gan(typeof({class}), typeof({class}))", "System.Obsolete", "Transpose(1, {num})", "Transpose({num}, -1)", "Permute(0, 2, 1)",
        "Permute({num}, {num})", "Unsqueeze({num})", "Squeeze({num})", "Chunk(\"a\", \"b\")", "Chunk(\"{tap}\", \"b\", Dim = {num})",
        "Split(\"a\", \"b\", Sizes = new object[] { {num}, \"{hp}\" })", "Split(\"a\")", "AdaptiveAvgPool2d({num})",
        "AdaptiveAvgPool2d(\"{hp}\", {num})", "Upsample({num})", "Upsample(2, Bilinear = true)", "Add(\"{tap}\")",
        "Multiply(\"{tap}\")", "Scale({num})", "Scale(\"{hp}\")", "RandnLike", "Exp", "SiLU", "Mean({num})", "Mean(1, KeepDim = true)",
        "Identity", "Call(nameof(Forward))", "Call(\"{member}\", \"{tap}\")", "Call(\"Missing\")",
        "Conv1d({num})", "Conv1d(\"{hp}\", Kernel = {num}, Stride = {num}, Padding = \"same\")", "GroupNorm({num})",
        "GroupNorm(\"{hp}\", Eps = 0, Affine = false)", "RMSNorm", "RMSNorm(Eps = -1)", "LSTM({num})",
        "LSTM(\"{hp}\", Layers = {num}, Bidirectional = true, InitialState = new[] { \"{tap}\", \"{tap}\" }, FinalState = new[] { \"h\", \"c\" })",
        "LSTM(8, FinalState = new[] { \"{tap}\" })", "LSTM({num}, Dropout = 2.0, Bias = false)", "GRU({num}, InitialState = \"{tap}\", FinalState = \"{tap}\")",
        "GRU(\"{hp}\", Dropout = \"{hp}\", Layers = \"{hp}\")", "ClassToken", "ClassToken(Count = {num})", "Learned", "Learned(1, {num}, \"{hp}\")",
        "Learned()", "Learned(\"B\", \"T\")", "CausalSelfAttention(Rotary = true, RotaryBase = {num})", "Attention(Heads = {num}, Rotary = true, Bias = false)",
        "Attention(Rotary = true, Memory = \"{tap}\")", "Select({num}, {num})", "Select(1, -1)",
    ];

    private static readonly string[] PropertyTypes =
    [
        "Linear", "Conv2d", "ConvTranspose2d", "BatchNorm1d", "BatchNorm2d", "LayerNorm", "Embedding", "ModelDsl.Layers.Attention",
        "ModelDsl.Layers.CausalSelfAttention", "ModuleList<Linear>", "ModuleList<{class}>", "ModuleList<ModuleList<{class}>>", "{class}",
        "{class}[]", "{class}?", "Tensor", "int", "object", "Linear?", "Linear[]", "TorchSharp.Modules.Linear", "Unknown", "Sequential",
        "TorchSharp.torch.nn.Module<Tensor, Tensor>", "dynamic", "string", "MaxPool2d", "Dropout", "ModuleList<Unknown>", "ModuleList<>",
        "Identity", "TorchSharp.Modules.Identity", "Conv1d", "GroupNorm", "ModelDsl.Layers.RMSNorm", "LSTM", "GRU", "Parameter",
        "TorchSharp.Modules.Parameter",
    ];

    private static readonly string[] NewNames =
    [
        "Forward", "forward", "x", "image", "Foo", "Tensor", "Linear", "@class", "_", "__", "T", "B", "Hidden2", "Ln_F", "Mlp_Fc", "Lm_Head",
        "scope", "module", "training", "Dispose", "ToString", "register_module", "Parameters", "named_parameters", "GetType", "Equals",
        "Name", "Résumé", "A\u0301", "LayerCount", "layers", "Embed", "Item", "this_is_a_very_long_name_" + new string('x', 200),
    ];

    // ---------------------------------------------------------------- token operators

    private static List<SyntaxToken> Tokens(Context c) =>
        c.Root.DescendantTokens().Where(t => t.Span.Length > 0).ToList();

    private string? DeleteToken(Context c)
    {
        var tokens = Tokens(c);
        if (tokens.Count == 0)
        {
            return null;
        }

        var token = tokens[_rng.Next(tokens.Count)];
        c.Note = $"'{token.Text}' at {Where(c, token.SpanStart)}";
        return Replace(c.Text, token.Span, "");
    }

    private string? DeleteTokenRun(Context c)
    {
        var tokens = Tokens(c);
        if (tokens.Count < 2)
        {
            return null;
        }

        int start = _rng.Next(tokens.Count);
        int end = Math.Min(tokens.Count - 1, start + _rng.Next(1, 7));
        var span = TextSpan.FromBounds(tokens[start].SpanStart, tokens[end].Span.End);
        c.Note = $"'{Shorten(c.Text.Substring(span.Start, span.Length))}' at {Where(c, span.Start)}";
        return Replace(c.Text, span, "");
    }

    private string? InsertToken(Context c)
    {
        var tokens = Tokens(c);
        if (tokens.Count == 0)
        {
            return null;
        }

        var source = tokens[_rng.Next(tokens.Count)];
        var target = tokens[_rng.Next(tokens.Count)];
        string inserted = _rng.Next(4) == 0 ? Pick(["(", ")", "[", "]", "{", "}", ",", ";", "=", "partial", "static", "new", "\"", "@", "#", "<", ">"]) : source.Text;
        c.Note = $"'{inserted}' before '{target.Text}' at {Where(c, target.SpanStart)}";
        return c.Text.Insert(target.SpanStart, inserted + " ");
    }

    private string? SwapTokens(Context c)
    {
        var tokens = Tokens(c);
        if (tokens.Count < 2)
        {
            return null;
        }

        int i = _rng.Next(tokens.Count - 1);
        SyntaxToken a = tokens[i], b = tokens[i + 1];
        c.Note = $"'{a.Text}' <-> '{b.Text}' at {Where(c, a.SpanStart)}";
        string between = c.Text.Substring(a.Span.End, b.SpanStart - a.Span.End);
        return Replace(c.Text, TextSpan.FromBounds(a.SpanStart, b.Span.End), b.Text + between + a.Text);
    }

    private string? DuplicateToken(Context c)
    {
        var tokens = Tokens(c);
        if (tokens.Count == 0)
        {
            return null;
        }

        var token = tokens[_rng.Next(tokens.Count)];
        c.Note = $"'{token.Text}' at {Where(c, token.SpanStart)}";
        return c.Text.Insert(token.Span.End, " " + token.Text);
    }

    private string? LineEdit(Context c)
    {
        var lines = c.Text.Split('\n').ToList();
        int i = _rng.Next(lines.Count);
        switch (_rng.Next(3))
        {
            case 0:
                c.Note = $"delete line {i + 1}: '{Shorten(lines[i].Trim())}'";
                lines.RemoveAt(i);
                break;
            case 1:
                c.Note = $"duplicate line {i + 1}: '{Shorten(lines[i].Trim())}'";
                lines.Insert(i, lines[i]);
                break;
            default:
                int j = _rng.Next(lines.Count);
                c.Note = $"swap lines {i + 1} and {j + 1}";
                (lines[i], lines[j]) = (lines[j], lines[i]);
                break;
        }

        return string.Join('\n', lines);
    }

    // ---------------------------------------------------------------- attribute arguments

    private static List<AttributeSyntax> Attributes(Context c) => c.Root.DescendantNodes().OfType<AttributeSyntax>().ToList();

    private static List<AttributeArgumentSyntax> Arguments(Context c) =>
        c.Root.DescendantNodes().OfType<AttributeArgumentSyntax>().ToList();

    private string? ArgumentWrongType(Context c)
    {
        var args = Arguments(c);
        if (args.Count == 0)
        {
            return null;
        }

        var arg = args[_rng.Next(args.Count)];
        string value = Pick(WrongTypeValues);
        c.Note = $"{Shorten(arg.ToString())} -> {value}";
        return Replace(c.Text, arg.Expression.Span, value);
    }

    private string? ArgumentExtremeNumber(Context c)
    {
        // Prefer numeric literals (including inside arrays and Shape), otherwise any argument.
        var numbers = c.Root.DescendantNodes().OfType<LiteralExpressionSyntax>()
            .Where(l => l.IsKind(SyntaxKind.NumericLiteralExpression) && l.Ancestors().OfType<AttributeSyntax>().Any())
            .Select(l => (SyntaxNode)l)
            .ToList();
        if (numbers.Count == 0 || _rng.Next(4) == 0)
        {
            numbers.AddRange(Arguments(c).Select(a => (SyntaxNode)a.Expression));
        }

        if (numbers.Count == 0)
        {
            return null;
        }

        var node = numbers[_rng.Next(numbers.Count)];
        string value = Pick(ExtremeNumbers);
        c.Note = $"{Shorten(node.ToString())} -> {value}";
        return Replace(c.Text, node.Span, value);
    }

    private string? MangleExpression(Context c)
    {
        var strings = c.Root.DescendantNodes().OfType<LiteralExpressionSyntax>()
            .Where(l => l.IsKind(SyntaxKind.StringLiteralExpression) && l.Ancestors().OfType<AttributeSyntax>().Any())
            .ToList();
        // nameof(X) arguments become strings too.
        var nameofs = c.Root.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Where(i => i.Expression is IdentifierNameSyntax { Identifier.Text: "nameof" } && i.Ancestors().OfType<AttributeSyntax>().Any())
            .ToList();
        var numbers = c.Root.DescendantNodes().OfType<LiteralExpressionSyntax>()
            .Where(l => l.IsKind(SyntaxKind.NumericLiteralExpression) && l.Ancestors().OfType<AttributeSyntax>().Any())
            .ToList();
        var targets = strings.Cast<ExpressionSyntax>().Concat(nameofs).Concat(numbers).ToList();
        if (targets.Count == 0)
        {
            return null;
        }

        var target = targets[_rng.Next(targets.Count)];
        string original = target switch
        {
            LiteralExpressionSyntax l => l.Token.ValueText,
            InvocationExpressionSyntax i => i.ArgumentList.Arguments.FirstOrDefault()?.ToString() ?? "x",
            _ => target.ToString(),
        };
        string mangled = Mangle(original, c);
        c.Note = $"\"{Shorten(original)}\" -> \"{Shorten(mangled)}\"";
        return Replace(c.Text, target.Span, SymbolDisplay.FormatLiteral(mangled, quote: true));
    }

    private string Mangle(string s, Context c)
    {
        string id = c.RandomIdentifier();
        string id2 = c.RandomIdentifier();
        switch (_rng.Next(40))
        {
            case 0: return s.Length == 0 ? "(" : s.Substring(0, _rng.Next(s.Length));
            case 1: return s + " *";
            case 2: return "(((";
            case 3: return ")))";
            case 4: return "(" + s;
            case 5: return s + ")";
            case 6: return id + " / 0";
            case 7: return id + " % " + id2;
            case 8: return id + " % 0";
            case 9: return id + " / -1";
            case 10: return id + " / " + id2;
            case 11: return "0 - " + id;
            case 12: return "-" + id;
            case 13: return "--" + id;
            case 14: return Pick(["unknownIdent", "Foo_Bar9", "_", "é", "B", "T + S", "S", "x", "this", "null", "true"]);
            case 15: return new string('(', 500) + id + new string(')', 500);
            case 16: return new string('(', 500) + id + new string(')', 499);
            case 17: return string.Join(" + ", Enumerable.Repeat(id, 2000));
            case 18: return string.Join(" * ", Enumerable.Repeat(id, 64));
            case 19: return string.Join(" * ", Enumerable.Repeat($"({id} + {id2} + {c.RandomIdentifier()} + 1)", 12));
            case 20: return Pick(["2147483647 * 2147483647", "2147483647 * 2147483647 * 2147483647 * 2147483647", "99999999999999999999", "2147483648", "4294967296 * 4294967296"]);
            case 21: return Pick(["0", "-0", "0 * " + id, id + " - " + id, "1 / 2", id + " - " + id + " - 1"]);
            case 22: return Pick(["", " ", "\t", "\n", "4 *\u00A0" + id, id + " " + id, "4 ** " + id, "4 * " + id + ";", id + ".Length", id + "()", id + "[0]"]);
            case 23: return Pick(["1e3", "0x10", "1_000", "3.5", "1,000", "+" + id, "~" + id, "!" + id, id + "++", "2^" + id, id + " << 2"]);
            case 24: return Pick(["same", "SAME", "valid", "full", "Same", " same"]);
            case 25: return Pick(["\0", "\"", "{0}", "}}", "{{", "*/", "//", "\\", "\r\n", id + "\n#error boom", id + " */ x /*", "\"); throw null; //", "<summary>", "&amp;", "\u2028"]);
            case 26: return s + " + " + s;
            case 27: return "(" + s + ") * (" + s + ")";
            case 28: return s.ToUpperInvariant();
            case 29: return s + "1";
            case 30: return string.Join(" - ", Enumerable.Repeat(id, 3));
            case 31: return $"({id} - 1) / 2 + ({id} + 1) / 2";
            case 32: return $"{id} / 3 * 3";
            case 33: return $"({id} * {id2}) % 7";
            case 34: return "1" + new string('0', 400);
            case 35: return string.Concat(Enumerable.Repeat("-", 300)) + id;
            case 36: return string.Join(" / ", Enumerable.Repeat("2", 200));
            case 37: return id + " - " + (c.Rng.Next(2) == 0 ? "2147483647" : "1000000000000");
            case 38: return s.Replace(" ", "", StringComparison.Ordinal);
            default: return id;
        }
    }

    private string? ArgumentArity(Context c)
    {
        var attributes = Attributes(c);
        if (attributes.Count == 0)
        {
            return null;
        }

        var attribute = attributes[_rng.Next(attributes.Count)];
        var args = attribute.ArgumentList?.Arguments ?? default;
        switch (_rng.Next(5))
        {
            case 0 when args.Count > 0:
                var removed = args[_rng.Next(args.Count)];
                c.Note = $"remove {Shorten(removed.ToString())} from {attribute.Name}";
                return RemoveFromSeparatedList(c.Text, args, args.IndexOf(removed));
            case 1:
                string extra = Pick(["1", "\"embed\"", "2.0", "true", "null", "typeof(int)", "new[] { 1 }", "\"x\""]);
                c.Note = $"extra positional {extra} in {attribute.Name}";
                return AddArgument(c.Text, attribute, extra, first: true);
            case 2:
                string named = Pick(["Foo = 1", "Kernel = 3", "Stride = 0", "Padding = \"same\"", "Heads = 0", "Repeat = 0", "Repeat = -1", "Dim = 7", "StartDim = -5", "From = \"nowhere\"", "TiedTo = \"Unknown\"", "Memory = null", "Inputs = null", "Inputs = new string[] { null }", "Bias = false", "Scaled = true", "Causal = true", "OutputPadding = 5", "Eps = -1", "Momentum = 2", "Dropout = \"dropout\"", "Dropout = 2"]);
                c.Note = $"named {named} in {attribute.Name}";
                return AddArgument(c.Text, attribute, named, first: false);
            case 3 when args.Count > 0:
                var duplicated = args[_rng.Next(args.Count)];
                c.Note = $"duplicate {Shorten(duplicated.ToString())} in {attribute.Name}";
                return AddArgument(c.Text, attribute, duplicated.ToString(), first: false);
            default:
                c.Note = $"empty argument list of {attribute.Name}";
                return attribute.ArgumentList is null ? c.Text.Insert(attribute.Span.End, "()") : Replace(c.Text, attribute.ArgumentList.Span, "()");
        }
    }

    private static string AddArgument(string text, AttributeSyntax attribute, string argument, bool first)
    {
        if (attribute.ArgumentList is null || attribute.ArgumentList.Arguments.Count == 0)
        {
            return attribute.ArgumentList is null
                ? text.Insert(attribute.Span.End, "(" + argument + ")")
                : Replace(text, attribute.ArgumentList.Span, "(" + argument + ")");
        }

        var args = attribute.ArgumentList.Arguments;
        return first
            ? text.Insert(args[0].SpanStart, argument + ", ")
            : text.Insert(args[^1].Span.End, ", " + argument);
    }

    // ---------------------------------------------------------------- attributes

    private string? RemoveAttribute(Context c)
    {
        var attributes = Attributes(c);
        if (attributes.Count == 0)
        {
            return null;
        }

        var attribute = attributes[_rng.Next(attributes.Count)];
        var list = (AttributeListSyntax)attribute.Parent!;
        c.Note = Shorten(attribute.ToString());
        return list.Attributes.Count == 1
            ? Replace(c.Text, list.Span, "")
            : RemoveFromSeparatedList(c.Text, list.Attributes, list.Attributes.IndexOf(attribute));
    }

    private string? DuplicateAttribute(Context c)
    {
        var attributes = Attributes(c);
        if (attributes.Count == 0)
        {
            return null;
        }

        var attribute = attributes[_rng.Next(attributes.Count)];
        c.Note = Shorten(attribute.ToString());
        return c.Text.Insert(attribute.Span.End, ", " + attribute);
    }

    private string? ReorderAttributes(Context c)
    {
        var lists = c.Root.DescendantNodes().OfType<AttributeListSyntax>().Where(l => l.Attributes.Count > 1).ToList();
        if (lists.Count == 0)
        {
            return null;
        }

        var list = lists[_rng.Next(lists.Count)];
        var items = list.Attributes.Select(a => a.ToString()).ToList();
        if (_rng.Next(2) == 0)
        {
            items.Reverse();
        }
        else
        {
            int i = _rng.Next(items.Count), j = _rng.Next(items.Count);
            (items[i], items[j]) = (items[j], items[i]);
        }

        c.Note = Shorten(string.Join(", ", items));
        return Replace(c.Text, TextSpan.FromBounds(list.Attributes.First().SpanStart, list.Attributes.Last().Span.End), string.Join(", ", items));
    }

    private string? InsertAttribute(Context c)
    {
        string attribute = Expand(Pick(AttributeCatalogue), c);
        var lists = c.Root.DescendantNodes().OfType<AttributeListSyntax>().ToList();
        int choice = _rng.Next(3);
        if (choice == 0 && lists.Count > 0)
        {
            var list = lists[_rng.Next(lists.Count)];
            int index = _rng.Next(list.Attributes.Count + 1);
            c.Note = $"{attribute} into [{Shorten(list.Attributes.ToString())}]";
            return index == list.Attributes.Count
                ? c.Text.Insert(list.Attributes.Last().Span.End, ", " + attribute)
                : c.Text.Insert(list.Attributes[index].SpanStart, attribute + ", ");
        }

        // A new list before a member, a parameter or a class.
        var hosts = c.Root.DescendantNodes()
            .Where(n => n is MemberDeclarationSyntax and not (NamespaceDeclarationSyntax or FileScopedNamespaceDeclarationSyntax) || n is ParameterSyntax)
            .ToList();
        if (hosts.Count == 0)
        {
            return null;
        }

        var host = hosts[_rng.Next(hosts.Count)];
        string prefix = host is MethodDeclarationSyntax && _rng.Next(3) == 0 ? "return: " : "";
        c.Note = $"[{prefix}{attribute}] before {Shorten(FirstLine(host))}";
        return c.Text.Insert(host.SpanStart, $"[{prefix}{attribute}] ");
    }

    private string? RenameAttribute(Context c)
    {
        var attributes = Attributes(c);
        if (attributes.Count == 0)
        {
            return null;
        }

        var attribute = attributes[_rng.Next(attributes.Count)];
        string name = Pick([
            "Linear", "Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "LayerNorm", "Embedding",
            "Dropout", "Flatten", "Reshape", "ReLU", "LeakyReLU", "GELU", "Tanh", "Sigmoid", "Softmax", "LogSoftmax", "Residual", "Input",
            "Concat", "Nested", "CausalSelfAttention", "Attention", "PositionalEmbedding", "SinusoidalEncoding", "Shape", "Model", "Gan",
            "ProgressiveColumn", "LinearAttribute", "ModelDsl.Conv2d", "Unknown", "Layer", "Step", "System.Obsolete",
            "Conv1d", "GroupNorm", "RMSNorm", "LSTM", "GRU", "ClassToken", "Learned", "Select",
        ]);
        c.Note = $"{attribute.Name} -> {name}";
        return Replace(c.Text, attribute.Name.Span, name);
    }

    // ---------------------------------------------------------------- members

    private static List<MemberDeclarationSyntax> ClassMembers(Context c) =>
        c.Root.DescendantNodes().OfType<ClassDeclarationSyntax>().SelectMany(k => k.Members).ToList();

    private string? RemoveMember(Context c)
    {
        var members = ClassMembers(c);
        if (members.Count == 0)
        {
            return null;
        }

        var member = members[_rng.Next(members.Count)];
        c.Note = Shorten(FirstLine(member));
        return Replace(c.Text, member.FullSpan, "");
    }

    private string? RenameMember(Context c)
    {
        var identifiers = ClassMembers(c)
            .Select(m => m switch
            {
                PropertyDeclarationSyntax p => p.Identifier,
                MethodDeclarationSyntax mm => mm.Identifier,
                ConstructorDeclarationSyntax ctor => ctor.Identifier,
                FieldDeclarationSyntax f when f.Declaration.Variables.Count > 0 => f.Declaration.Variables[0].Identifier,
                _ => default,
            })
            .Concat(c.Root.DescendantNodes().OfType<ParameterSyntax>().Select(p => p.Identifier))
            .Where(t => t.Span.Length > 0)
            .ToList();
        if (identifiers.Count == 0)
        {
            return null;
        }

        var identifier = identifiers[_rng.Next(identifiers.Count)];
        string name = _rng.Next(3) == 0 ? c.RandomIdentifier() : Pick(NewNames);
        c.Note = $"{identifier.Text} -> {name}";
        return Replace(c.Text, identifier.Span, name);
    }

    private string? DuplicateMember(Context c)
    {
        var members = ClassMembers(c);
        if (members.Count == 0)
        {
            return null;
        }

        var member = members[_rng.Next(members.Count)];
        c.Note = Shorten(FirstLine(member));
        string copy = c.Text.Substring(member.FullSpan.Start, member.FullSpan.Length);
        // Insert the copy after the member itself or after another member of the same class.
        var siblings = ((TypeDeclarationSyntax)member.Parent!).Members;
        var after = siblings[_rng.Next(siblings.Count)];
        return c.Text.Insert(after.FullSpan.End, copy);
    }

    private string? ChangePropertyType(Context c)
    {
        var properties = c.Root.DescendantNodes().OfType<PropertyDeclarationSyntax>().ToList();
        if (properties.Count == 0)
        {
            return null;
        }

        var property = properties[_rng.Next(properties.Count)];
        string type = Expand(Pick(PropertyTypes), c);
        c.Note = $"{property.Identifier.Text}: {property.Type} -> {type}";
        return Replace(c.Text, property.Type.Span, type);
    }

    private string? ChangePropertyShape(Context c)
    {
        var properties = c.Root.DescendantNodes().OfType<PropertyDeclarationSyntax>().ToList();
        if (properties.Count == 0)
        {
            return null;
        }

        var property = properties[_rng.Next(properties.Count)];
        switch (_rng.Next(7))
        {
            case 0:
                var partial = property.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.PartialKeyword));
                if (partial.Span.Length == 0)
                {
                    return null;
                }

                c.Note = $"drop partial of {property.Identifier.Text}";
                return Replace(c.Text, partial.Span, "");
            case 1:
                string modifier = Pick(["static", "public", "private", "protected", "internal", "virtual", "new", "required", "override", "extern", "unsafe", "readonly", "public static"]);
                c.Note = $"{modifier} on {property.Identifier.Text}";
                return c.Text.Insert(property.Type.SpanStart, modifier + " ");
            default:
                string body = Pick(["{ get; set; }", "{ set; }", "{ get; init; }", "=> null!;", "{ get => null!; }", "{ }", "{ get; } = null!;", ";", "{ get; get; }", "{ private get; }"]);
                var span = property.AccessorList?.Span ?? property.ExpressionBody?.Span ?? default;
                if (span.Length == 0)
                {
                    return null;
                }

                if (property.ExpressionBody is not null)
                {
                    span = TextSpan.FromBounds(span.Start, property.SemicolonToken.Span.End);
                }

                c.Note = $"{property.Identifier.Text} {body}";
                return Replace(c.Text, span, body);
        }
    }

    // ---------------------------------------------------------------- Forward and Shape

    private string? BreakForward(Context c)
    {
        var methods = c.Root.DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.Identifier.Text == "Forward").ToList();
        if (methods.Count == 0)
        {
            return null;
        }

        var forward = methods[_rng.Next(methods.Count)];
        var parameters = forward.ParameterList.Parameters;
        switch (_rng.Next(12))
        {
            case 0:
                c.Note = "remove Forward";
                return Replace(c.Text, forward.FullSpan, "");
            case 1:
                string name = Pick(["forward", "Forward2", "Backward", "Call", "Invoke", "call"]);
                c.Note = $"rename Forward -> {name}";
                return Replace(c.Text, forward.Identifier.Span, name);
            case 2:
                string returnType = Pick(["void", "int", "Tensor?", "Tensor[]", "(Tensor, Tensor)", "System.Threading.Tasks.Task<Tensor>", "object", "Unknown", "TorchSharp.torch.Tensor", "global::TorchSharp.torch.Tensor", "Linear"]);
                c.Note = $"return type -> {returnType}";
                return Replace(c.Text, forward.ReturnType.Span, returnType);
            case 3:
                c.Note = "no parameters";
                return Replace(c.Text, forward.ParameterList.Span, "()");
            case 4:
                string extra = Pick(["Tensor extra", "[Shape(\"B\", 3)] Tensor extra", "int n", "[Shape(\"B\")] Tensor x", "[Shape(\"B\", 3)] Tensor scope", "[Shape(\"B\", 3)] Tensor @this", "[Shape(\"B\", 3)] Tensor training"]);
                c.Note = $"extra parameter {extra}";
                return c.Text.Insert(forward.ParameterList.Span.End - 1, (parameters.Count > 0 ? ", " : "") + extra);
            case 5:
                string many = string.Join(", ", Enumerable.Range(0, 7).Select(i => $"[Shape(\"B\", {i + 1})] Tensor p{i}"));
                c.Note = "7 parameters";
                return Replace(c.Text, forward.ParameterList.Span, "(" + many + ")");
            case 6 when parameters.Count > 0:
                var p = parameters[_rng.Next(parameters.Count)];
                string type = Pick(["int", "Tensor?", "Tensor[]", "object", "Unknown", "long", "ref Tensor", "in Tensor", "out Tensor", "params Tensor[]", "this Tensor", "scoped Tensor"]);
                c.Note = $"parameter {p.Identifier.Text}: {p.Type} -> {type}";
                return p.Type is null ? null : Replace(c.Text, p.Type.Span, type);
            case 7:
                c.Note = "generic Forward<T>";
                return c.Text.Insert(forward.Identifier.Span.End, "<T>");
            case 8:
                string modifier = Pick(["static", "private", "virtual", "async", "new", "extern", "override", "protected internal"]);
                c.Note = $"{modifier} Forward";
                return c.Text.Insert(forward.ReturnType.SpanStart, modifier + " ");
            case 9:
                var partial = forward.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.PartialKeyword));
                if (partial.Span.Length == 0)
                {
                    return null;
                }

                c.Note = "Forward not partial";
                return Replace(c.Text, partial.Span, "");
            case 10:
                c.Note = "Forward with a body";
                return Replace(c.Text, forward.SemicolonToken.Span, parameters.Count > 0 ? $" => {parameters[0].Identifier.Text};" : " => null!;");
            default:
                c.Note = "remove a parameter";
                return parameters.Count == 0 ? null : RemoveFromSeparatedList(c.Text, parameters, _rng.Next(parameters.Count));
        }
    }

    private string? BreakShape(Context c)
    {
        var shapes = Attributes(c).Where(a => a.Name.ToString() is "Shape" or "ShapeAttribute" or "ModelDsl.Shape").ToList();
        if (shapes.Count == 0)
        {
            return null;
        }

        var shape = shapes[_rng.Next(shapes.Count)];
        var list = (AttributeListSyntax)shape.Parent!;
        int choice = _rng.Next(6);
        if (choice == 0)
        {
            c.Note = $"remove {Shorten(list.ToString())}";
            return list.Attributes.Count == 1 ? Replace(c.Text, list.Span, "") : RemoveFromSeparatedList(c.Text, list.Attributes, list.Attributes.IndexOf(shape));
        }

        if (choice == 1 && list.Target is not null)
        {
            c.Note = "drop 'return:'";
            return Replace(c.Text, list.Target.Span, "");
        }

        string id = c.RandomIdentifier();
        string args = Pick([
            "", "\"B\"", "\"B\", -1", "\"B\", 0", "int.MaxValue", "\"B\", \"B\", \"B\", \"B\", \"B\", \"B\", \"B\", \"B\", \"B\"", "\"B\", 1.5",
            "\"B\", true", "\"B\", null", "null", "(object[])null", "new object[] { 1 }", "new object[0]", "typeof(int)", "\"B\", \"T + S\"", $"\"B\", \"{id}\"",
            $"\"B\", \"{id} * {id} * {id} * {id}\"", "\"(((\", \"B\"", "\"B\", \"-1\"", "\"B\", \"2147483647 * 2147483647\"", "\"B\", \"T / 0\"", "\"B\", \"T % 3\"",
            "\"B\", \"T / 2\"", "\"B\", 2147483647, 2147483647, 2147483647", "\"B\", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1", "\"\", 3",
            "\" B \", 3", "\"b\", 3", "\"B\", \"b\"", $"\"{id}\", \"{id}\"", "\"B\", new[] { 1, 2 }", "\"B\", 4294967296L", "\"B\", 3u", "\"B\", (byte)3",
            "\"B\", 'c'", "\"B\", 3.0", "\"B\", \"3\"", "\"B\", \"x\"", "\"B\", \"scope\"", "\"B\", \"Forward\"", "new[] { \"B\" }", "new string[] { \"B\", \"T\" }",
        ]);
        c.Note = $"{Shorten(shape.ToString())} -> Shape({Shorten(args)})";
        return Replace(c.Text, shape.Span, $"Shape({args})");
    }

    // ---------------------------------------------------------------- classes, constructors, constants, GAN

    private string? BreakClass(Context c)
    {
        var classes = c.Root.DescendantNodes().OfType<ClassDeclarationSyntax>().ToList();
        if (classes.Count == 0)
        {
            return null;
        }

        var cls = classes[_rng.Next(classes.Count)];
        switch (_rng.Next(14))
        {
            case 0:
                var partial = cls.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.PartialKeyword));
                if (partial.Span.Length == 0)
                {
                    return null;
                }

                c.Note = $"{cls.Identifier.Text} not partial";
                return Replace(c.Text, partial.Span, "");
            case 1:
                var model = cls.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a => a.Name.ToString() is "Model" or "Gan");
                if (model is null)
                {
                    return null;
                }

                var list = (AttributeListSyntax)model.Parent!;
                c.Note = $"remove [{model.Name}] of {cls.Identifier.Text}";
                return list.Attributes.Count == 1 ? Replace(c.Text, list.Span, "") : RemoveFromSeparatedList(c.Text, list.Attributes, list.Attributes.IndexOf(model));
            case 2:
                string name = _rng.Next(2) == 0 ? Pick(_classNames) : Pick(["Model", "Tensor", "Linear", "Module", "Foo", "Forward", "torch", "ModelDsl", "Samples"]);
                c.Note = $"class {cls.Identifier.Text} -> {name}";
                return Replace(c.Text, cls.Identifier.Span, name);
            case 3:
                string baseType = Pick(["TorchSharp.torch.nn.Module", "Module<Tensor, Tensor>", "System.IDisposable", "System.Exception", Pick(_classNames), "Unknown"]);
                c.Note = $"{cls.Identifier.Text} : {baseType}";
                return c.Text.Insert(cls.Identifier.Span.End, " : " + baseType);
            case 4:
                c.Note = $"{cls.Identifier.Text}<T>";
                return c.Text.Insert(cls.Identifier.Span.End, "<T>");
            case 5:
                string modifier = Pick(["static", "abstract", "file", "unsafe", "private", "ref", "readonly"]);
                c.Note = $"{modifier} class {cls.Identifier.Text}";
                return c.Text.Insert(cls.Keyword.SpanStart, modifier + " ");
            case 6:
                string keyword = Pick(["struct", "record", "record struct", "interface"]);
                c.Note = $"class {cls.Identifier.Text} -> {keyword}";
                return Replace(c.Text, cls.Keyword.Span, keyword);
            case 7:
                c.Note = $"{cls.Identifier.Text} nested in Outer";
                return c.Text.Insert(cls.Span.End, "\n}\n").Insert(cls.SpanStart, "public static partial class Outer\n{\n");
            case 8:
                c.Note = "no namespace";
                var ns = c.Root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault();
                return ns is FileScopedNamespaceDeclarationSyntax fs ? Replace(c.Text, TextSpan.FromBounds(fs.NamespaceKeyword.SpanStart, fs.SemicolonToken.Span.End), "") : null;
            case 9:
                string attribute = Pick(["Model", "ProgressiveColumn", "Model, Model", "Gan(typeof(int), typeof(int))", $"Gan(typeof({Pick(_classNames)}), typeof({Pick(_classNames)}))"]);
                c.Note = $"[{attribute}] on {cls.Identifier.Text}";
                return c.Text.Insert(cls.SpanStart, $"[{attribute}] ");
            case 10:
                c.Note = $"empty {cls.Identifier.Text}";
                return cls.Members.Count == 0 ? null : Replace(c.Text, TextSpan.FromBounds(cls.OpenBraceToken.Span.End, cls.CloseBraceToken.SpanStart), "\n");
            case 11:
                c.Note = $"second partial of {cls.Identifier.Text}";
                string copy = string.Join("\n", cls.Members.Where(m => m is not MethodDeclarationSyntax { Identifier.Text: "Forward" }).Take(2).Select(m => m.ToFullString()));
                return c.Text + $"\n{(cls.Parent is BaseNamespaceDeclarationSyntax ? "" : "")}public sealed partial class {cls.Identifier.Text}\n{{\n{copy}\n}}\n";
            case 12:
                c.Note = $"duplicate class {cls.Identifier.Text}";
                return c.Text + "\n" + cls.ToFullString();
            default:
                string member = Pick([
                    "public int Embed => 3;", "public const int embed = 0;", "public static int heads;", "private readonly int _x;", "public Tensor Forward(Tensor x, Tensor y) => x;",
                    "partial void OnCreated();", "public override string ToString() => \"\";", "public void Dispose() { }", "~ZZZ() { }", "public int this[int i] => i;",
                    "public event System.Action? Changed;", "public class Inner { }", "public partial Linear Extra { get; }", "[Linear(3)] public Linear Field;",
                    "[Linear(3)] public Linear Method() => null!;", "[ReLU] partial Linear NoLayer { get; }", "[Linear(3)] partial Linear Generic<T> { get; }",
                ]).Replace("ZZZ", cls.Identifier.Text, StringComparison.Ordinal);
                c.Note = $"add member '{member}' to {cls.Identifier.Text}";
                return c.Text.Insert(cls.OpenBraceToken.Span.End, "\n    " + member + "\n");
        }
    }

    private string? BreakConstructor(Context c)
    {
        var ctors = c.Root.DescendantNodes().OfType<ConstructorDeclarationSyntax>().ToList();
        var classes = c.Root.DescendantNodes().OfType<ClassDeclarationSyntax>().ToList();
        if (ctors.Count == 0)
        {
            if (classes.Count == 0)
            {
                return null;
            }

            var cls = classes[_rng.Next(classes.Count)];
            string parameters = Pick(["int embed", "int vocab, int embed", "int hidden", "double dropout", "int heads, int embed", "string name", "int x", "int B", "int forward"]);
            c.Note = $"add ctor({parameters}) to {cls.Identifier.Text}";
            return c.Text.Insert(cls.OpenBraceToken.Span.End, $"\n    public partial {cls.Identifier.Text}({parameters});\n");
        }

        var ctor = ctors[_rng.Next(ctors.Count)];
        var ps = ctor.ParameterList.Parameters;
        switch (_rng.Next(9))
        {
            case 0:
                c.Note = "remove ctor";
                return Replace(c.Text, ctor.FullSpan, "");
            case 1 when ps.Count > 0:
                var p = ps[_rng.Next(ps.Count)];
                string type = Pick(["string", "long", "double", "int", "float", "bool", "int?", "object", "int[]", "params int[]", "Tensor", "Unknown", "ref int", "out int", "decimal", "uint", "short", "byte"]);
                c.Note = $"ctor {p.Identifier.Text}: {p.Type} -> {type}";
                return p.Type is null ? null : Replace(c.Text, p.Type.Span, type);
            case 2 when ps.Count > 0:
                var q = ps[_rng.Next(ps.Count)];
                string name = _rng.Next(2) == 0 ? c.RandomIdentifier() : Pick(NewNames);
                c.Note = $"ctor {q.Identifier.Text} -> {name}";
                return Replace(c.Text, q.Identifier.Span, name);
            case 3:
                c.Note = "ctor without parameters";
                return Replace(c.Text, ctor.ParameterList.Span, "()");
            case 4:
                string extra = Pick(["int extra", "int embed", "double p = 0.5", "int n = 3", "int x", "int scope", "int B", "int this_", "int @class", "Tensor t"]);
                c.Note = $"ctor + {extra}";
                return c.Text.Insert(ctor.ParameterList.Span.End - 1, (ps.Count > 0 ? ", " : "") + extra);
            case 5:
                c.Note = "ctor with a body";
                return Replace(c.Text, ctor.SemicolonToken.Span, " { }");
            case 6:
                var partial = ctor.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.PartialKeyword));
                c.Note = "ctor not partial";
                return partial.Span.Length == 0 ? null : Replace(c.Text, partial.Span, "");
            case 7:
                string modifier = Pick(["private", "internal", "protected", "static", "public static", "extern"]);
                c.Note = $"{modifier} ctor";
                var first = ctor.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.PublicKeyword));
                return first.Span.Length == 0 ? c.Text.Insert(ctor.SpanStart, modifier + " ") : Replace(c.Text, first.Span, modifier);
            default:
                c.Note = "duplicate ctor";
                return c.Text.Insert(ctor.FullSpan.End, ctor.ToFullString());
        }
    }

    private string? AddConstant(Context c)
    {
        var classes = c.Root.DescendantNodes().OfType<ClassDeclarationSyntax>().ToList();
        if (classes.Count == 0)
        {
            return null;
        }

        var cls = classes[_rng.Next(classes.Count)];
        string id = c.RandomIdentifier();
        string constant = Pick([
            $"const int {id} = 0;", $"const int {id} = -5;", $"const long {id} = long.MaxValue;", $"const double {id} = 1e308;", $"const string {id} = \"B\";",
            $"const bool {id} = true;", "const int B = 4;", "const int T = 0;", "const int embed = 16;", $"public const int {id}2 = int.MaxValue;",
            $"const float {id} = float.NaN;", $"const char {id} = 'x';", $"const uint {id} = 7;", $"const decimal {id} = 1.5m;", $"static readonly int {id} = 3;",
        ]);
        c.Note = $"{constant} in {cls.Identifier.Text}";
        return c.Text.Insert(cls.OpenBraceToken.Span.End, "\n    " + constant + "\n");
    }

    private string? BreakGan(Context c)
    {
        var typeofs = c.Root.DescendantNodes().OfType<TypeOfExpressionSyntax>().Where(t => t.Ancestors().OfType<AttributeSyntax>().Any()).ToList();
        if (typeofs.Count == 0)
        {
            return null;
        }

        var target = typeofs[_rng.Next(typeofs.Count)];
        string replacement = Pick([
            "typeof(int)", "typeof(Tensor)", "typeof(System.Collections.Generic.List<>)", $"typeof({Pick(_classNames)})", $"typeof({Pick(_classNames)}[])",
            $"typeof({Pick(_classNames)}<int>)", "typeof(Unknown)", "null", "\"Gen\"", "typeof(Linear)", "typeof(ModelDsl.ModelAttribute)", "default",
        ]);
        c.Note = $"{target} -> {replacement}";
        return Replace(c.Text, target.Span, replacement);
    }

    // ---------------------------------------------------------------- helpers

    private string Pick(IReadOnlyList<string> items) => items.Count == 0 ? "X" : items[_rng.Next(items.Count)];

    private string Expand(string template, Context c)
    {
        var sb = new StringBuilder(template);
        string Once(string key) => key switch
        {
            "{hp}" => c.RandomIdentifier(),
            "{member}" => c.RandomMember(),
            "{tap}" => _rng.Next(3) == 0 ? c.RandomIdentifier() : c.RandomMember(),
            "{class}" => Pick(_classNames),
            _ => Pick(["0", "1", "2", "3", "-1", "7", "2147483647", "64"]),
        };
        foreach (string key in new[] { "{hp}", "{member}", "{tap}", "{class}", "{num}" })
        {
            int index;
            while ((index = sb.ToString().IndexOf(key, StringComparison.Ordinal)) >= 0)
            {
                sb.Remove(index, key.Length).Insert(index, Once(key));
            }
        }

        return sb.ToString();
    }

    private static string RemoveFromSeparatedList<T>(string text, SeparatedSyntaxList<T> list, int index)
        where T : SyntaxNode
    {
        if (list.Count == 1)
        {
            return Replace(text, list[0].Span, "");
        }

        // Remove the item and the separator after it (or before it, for the last item).
        var span = index < list.Count - 1
            ? TextSpan.FromBounds(list[index].SpanStart, list[index + 1].SpanStart)
            : TextSpan.FromBounds(list.GetSeparator(index - 1).SpanStart, list[index].Span.End);
        return Replace(text, span, "");
    }

    private static string Replace(string text, TextSpan span, string replacement) =>
        string.Concat(text.AsSpan(0, span.Start), replacement, text.AsSpan(span.End));

    private static string Where(Context c, int position) => $"line {c.Root.SyntaxTree.GetLineSpan(new TextSpan(position, 0)).StartLinePosition.Line + 1}";

    private static string FirstLine(SyntaxNode node) => node.ToString().Split('\n')[0].Trim();

    private static string Shorten(string s)
    {
        s = s.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
        return s.Length <= 80 ? s : s.Substring(0, 60) + $"…({s.Length} chars)";
    }

    /// <summary>One mutation step's view of the text: a fresh parse and the names it declares.</summary>
    private sealed class Context
    {
        private readonly Lazy<string[]> _identifiers;
        private readonly Lazy<string[]> _members;

        public Context(string text, SyntaxTree tree, Random rng, IReadOnlyList<string> classNames)
        {
            Text = text;
            Root = tree.GetRoot();
            Rng = rng;
            _identifiers = new Lazy<string[]>(() => Root.DescendantNodes()
                .Select(n => n switch
                {
                    ParameterSyntax p => p.Identifier.Text,
                    VariableDeclaratorSyntax v => v.Identifier.Text,
                    PropertyDeclarationSyntax p => p.Identifier.Text,
                    _ => null,
                })
                .Concat(Root.DescendantNodes().OfType<LiteralExpressionSyntax>().Where(l => l.IsKind(SyntaxKind.StringLiteralExpression)).Select(l => l.Token.ValueText))
                .Where(s => !string.IsNullOrEmpty(s) && (char.IsLetter(s![0]) || s[0] == '_') && s.All(ch => char.IsLetterOrDigit(ch) || ch == '_'))
                .Concat(classNames)
                .Distinct(StringComparer.Ordinal)
                .ToArray()!);
            _members = new Lazy<string[]>(() => Root.DescendantNodes()
                .Select(n => n switch
                {
                    PropertyDeclarationSyntax p => p.Identifier.Text,
                    ParameterSyntax p => p.Identifier.Text,
                    _ => null,
                })
                .Where(s => !string.IsNullOrEmpty(s))
                .Distinct(StringComparer.Ordinal)
                .ToArray()!);
        }

        public string Text { get; }

        public SyntaxNode Root { get; }

        public Random Rng { get; }

        /// <summary>What the operator did, for the failure report.</summary>
        public string? Note { get; set; }

        /// <summary>A name from the file: a hyperparameter, a member, a Forward argument, a symbolic dim or a class.</summary>
        public string RandomIdentifier() => _identifiers.Value.Length == 0 ? "embed" : _identifiers.Value[Rng.Next(_identifiers.Value.Length)];

        /// <summary>A member or Forward argument name (a tap).</summary>
        public string RandomMember() => _members.Value.Length == 0 ? "x" : _members.Value[Rng.Next(_members.Value.Length)];
    }
}
