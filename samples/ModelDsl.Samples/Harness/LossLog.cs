using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelDsl.Samples.Harness;

/// <summary>One point of a curve: the steps done when it was measured, and the value.</summary>
public readonly record struct LossPoint(long Step, double Value);

/// <summary>Named curves of (step, value) points, saved in the checkpoint so that a resumed run plots from the start.</summary>
public sealed class LossLog
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly Dictionary<string, List<LossPoint>> _curves = [];
    private readonly List<string> _names = [];

    /// <summary>The curves in the order they were first recorded.</summary>
    public IReadOnlyList<string> Names => _names;

    public IReadOnlyList<LossPoint> this[string name] => _curves.TryGetValue(name, out var points) ? points : [];

    public void Add(string name, long step, double value)
    {
        if (!_curves.TryGetValue(name, out var points))
        {
            _curves[name] = points = [];
            _names.Add(name);
        }
        points.Add(new LossPoint(step, value));
    }

    public double? Last(string name) => this[name] is { Count: > 0 } points ? points[^1].Value : null;

    /// <summary>The mean of the last <paramref name="count"/> values.</summary>
    public double? RecentMean(string name, int count) => this[name] is { Count: > 0 } points ? points.TakeLast(count).Average(p => p.Value) : null;

    /// <summary><c>{"name": [[step, value], …], …}</c>; doubles round-trip exactly.</summary>
    public string ToJson() => JsonSerializer.Serialize(_names.ToDictionary(n => n, n => _curves[n].Select(p => new[] { p.Step, p.Value })), Json);

    public static LossLog FromJson(string json)
    {
        var log = new LossLog();
        foreach (var (name, points) in JsonSerializer.Deserialize<Dictionary<string, double[][]>>(json, Json) ?? [])
        {
            foreach (var point in points)
                log.Add(name, (long)point[0], point[1]);
        }
        return log;
    }
}
