using System;
using System.Text;

namespace ModelDsl.Generator.Emit;

/// <summary>Builds source text line by line with four-space indentation and LF line endings.</summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public IndentedWriter Line(string line = "")
    {
        if (line.Length > 0)
            _text.Append(' ', _depth * 4).Append(line);
        _text.Append('\n');
        return this;
    }

    /// <summary>Writes several lines, each indented at the current depth.</summary>
    public IndentedWriter Lines(string text)
    {
        foreach (var line in text.Split('\n'))
            Line(line);
        return this;
    }

    public IDisposable Block(string header)
    {
        Line(header);
        Line("{");
        _depth++;
        return new Closer(this);
    }

    public IDisposable Indent()
    {
        _depth++;
        return new Closer(this, brace: false);
    }

    public override string ToString() => _text.ToString();

    private sealed class Closer(IndentedWriter writer, bool brace = true) : IDisposable
    {
        public void Dispose()
        {
            writer._depth--;
            if (brace)
                writer.Line("}");
        }
    }
}
