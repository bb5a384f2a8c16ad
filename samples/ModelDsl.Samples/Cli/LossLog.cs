using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Samples.Cli;

/// <summary>
/// Named loss curves (train, validation, discriminator, …) as (step, value) points; saved in a checkpoint's
/// properties so that a resumed run keeps plotting from the start.
/// </summary>
public sealed class LossLog
{
    /// <summary>The checkpoint property that holds the curves.</summary>
    public const string PropertyKey = "losses";

    private readonly Dictionary<string, List<LossPoint>> _series = new();
    private readonly List<string> _order = new();

    /// <summary>The curves' names in the order they were first recorded.</summary>
    public IReadOnlyList<string> Names => _order;

    /// <summary>The points of <paramref name="name"/> (empty when none).</summary>
    public IReadOnlyList<LossPoint> this[string name] =>
        _series.TryGetValue(name, out var points) ? points : [];

    /// <summary>Adds a point to curve <paramref name="name"/>.</summary>
    public void Add(string name, long step, double value)
    {
        if (!_series.TryGetValue(name, out var points))
        {
            points = new List<LossPoint>();
            _series[name] = points;
            _order.Add(name);
        }
        points.Add(new LossPoint(step, value));
    }

    /// <summary>The last value of <paramref name="name"/>, or null.</summary>
    public double? Last(string name) => _series.TryGetValue(name, out var points) && points.Count > 0 ? points[^1].Value : null;

    /// <summary>The mean of the last <paramref name="count"/> values of <paramref name="name"/>, or null.</summary>
    public double? RecentMean(string name, int count) =>
        _series.TryGetValue(name, out var points) && points.Count > 0 ? points.TakeLast(count).Average(p => p.Value) : null;

    /// <summary>The curves as JSON: <c>{"name": [[step, value], …], …}</c> (doubles round-trip exactly).</summary>
    public string ToJson() =>
        JsonSerializer.Serialize(_order.ToDictionary(n => n, n => _series[n].Select(p => new[] { p.Step, p.Value }).ToArray()), JsonOptions);

    /// <summary>Reads <see cref="ToJson"/>'s output.</summary>
    public static LossLog FromJson(string json)
    {
        var log = new LossLog();
        var parsed = JsonSerializer.Deserialize<Dictionary<string, double[][]>>(json, JsonOptions) ?? [];
        foreach (var (name, points) in parsed)
        {
            foreach (var point in points)
                log.Add(name, (long)point[0], point[1]);
        }
        return log;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

/// <summary>One point of a loss curve.</summary>
/// <param name="Step">The number of optimizer steps done when it was measured.</param>
/// <param name="Value">The loss.</param>
public readonly record struct LossPoint(long Step, double Value);
