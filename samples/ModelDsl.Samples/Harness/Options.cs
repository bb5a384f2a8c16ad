using System.CommandLine;
using System.Globalization;
using System.Reflection;

namespace ModelDsl.Samples.Harness;

/// <summary>
/// Declares a command-line option on a property of a settings record; the property's initial value is the
/// default. Numbers are parsed here, so that an error names the option and the accepted range.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;
    public string Description { get; } = description;
    public double Min { get; init; } = double.MinValue;
    public double Max { get; init; } = double.MaxValue;

    /// <summary>The range is [Min, Max): rates such as dropout stay below 1.</summary>
    public bool BelowMax { get; init; }

    public string[]? Choices { get; init; }
    public string? HelpName { get; init; }
    public bool Hidden { get; init; }

    /// <summary>
    /// The option does not change what is trained (evaluation, sampling, step count…): <c>--resume</c> accepts a new
    /// value. Every other recorded option must keep the checkpoint's value.
    /// </summary>
    public bool MayChangeOnResume { get; init; }

    /// <summary>Not saved in checkpoints: where and how the run executes (<c>--out</c>, <c>--threads</c>…).</summary>
    public bool NotRecorded { get; init; }
}

/// <summary>
/// The options of one command, made from settings records (<see cref="OptionAttribute"/>) and read back into
/// them. With a checkpoint's recorded values, an option not given takes the checkpoint's value, and one given
/// with a different value that may not change is a conflict.
/// </summary>
public sealed class OptionSet
{
    private readonly List<(OptionAttribute Spec, PropertyInfo Property, Option Option, string? Default)> _options = [];

    /// <summary>The text of every recorded option as last read (normalised, e.g. <c>0.001</c> for <c>1e-3</c>).</summary>
    public Dictionary<string, string> Recorded { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds the options declared on <paramref name="defaults"/>' type, with its values as defaults.</summary>
    public OptionSet Add(object defaults)
    {
        foreach (var property in defaults.GetType().GetProperties())
        {
            if (property.GetCustomAttribute<OptionAttribute>() is not { } spec)
                continue;
            Option option;
            var defaultText = property.GetValue(defaults) is { } value ? Format(value) : null;
            if (property.PropertyType == typeof(bool))
            {
                option = new Option<bool>(spec.Name) { Description = spec.Description, Hidden = spec.Hidden };
            }
            else
            {
                var text = new Option<string?>(spec.Name) { Description = spec.Description, Hidden = spec.Hidden, HelpName = spec.HelpName ?? (spec.Choices is { } choices ? string.Join('|', choices) : HelpName(property.PropertyType)) };
                if (defaultText is not null)
                    text.DefaultValueFactory = _ => defaultText;
                text.Validators.Add(result =>
                {
                    if (result.GetValueOrDefault<string?>() is { } given && !TryParse(spec, property.PropertyType, given, out _, out var error))
                        result.AddError(error);
                });
                option = text;
            }
            _options.Add((spec, property, option, defaultText));
        }
        return this;
    }

    public void AddTo(Command command)
    {
        foreach (var (_, _, option, _) in _options)
            command.Options.Add(option);
    }

    /// <summary>True when <paramref name="name"/> was given on the command line.</summary>
    public bool Given(ParseResult parse, string name) =>
        _options.Any(o => o.Spec.Name == name && parse.GetResult(o.Option) is { Implicit: false });

    /// <summary>
    /// The values of <typeparamref name="T"/>'s options (the defaults when <paramref name="parse"/> is null). With <paramref name="saved"/> (a checkpoint's record), an
    /// option not given takes the saved value; one given with another value that may not change on resume is added
    /// to <paramref name="conflicts"/> as (name, saved, given).
    /// </summary>
    public T Read<T>(ParseResult? parse, IReadOnlyDictionary<string, string>? saved = null, List<(string Name, string Saved, string Given)>? conflicts = null)
        where T : new()
    {
        var settings = new T();
        foreach (var (spec, property, option, defaultText) in _options.Where(o => o.Property.DeclaringType == typeof(T)))
        {
            var given = parse?.GetResult(option) is { Implicit: false };
            string? text = !given ? null : option is Option<bool> flag ? Format(parse!.GetValue(flag)) : parse!.GetValue((Option<string?>)option);
            var savedText = spec.NotRecorded ? null : saved?.GetValueOrDefault(spec.Name);
            if (text is null)
                text = savedText ?? defaultText;
            else if (savedText is not null && !spec.MayChangeOnResume && Normal(spec, property, text) != savedText)
                conflicts?.Add((spec.Name, savedText, text));

            if (text is null)
                continue;
            if (!TryParse(spec, property.PropertyType, text, out var parsed, out var error))
                throw new UsageException(error); // a saved value this version cannot read
            property.SetValue(settings, parsed);
            if (!spec.NotRecorded)
                Recorded[spec.Name] = Normal(spec, property, text);
        }
        return settings;
    }

    private static string Normal(OptionAttribute spec, PropertyInfo property, string text) =>
        TryParse(spec, property.PropertyType, text, out var value, out _) && value is not null ? Format(value) : text;

    /// <summary>Invariant text that parses back to the same value (doubles round-trip).</summary>
    public static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static bool TryParse(OptionAttribute spec, Type type, string text, out object? value, out string error)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        value = null;
        error = "";
        if (target == typeof(string))
        {
            value = text;
            if (spec.Choices is not { } choices || choices.Contains(text))
                return true;
            error = $"{spec.Name} must be one of {string.Join(", ", choices)}; got '{text}'.";
            return false;
        }
        if (target == typeof(bool))
        {
            value = text == "true";
            return text is "true" or "false";
        }
        var whole = target == typeof(int) || target == typeof(long);
        var max = Math.Min(spec.Max, target == typeof(int) ? int.MaxValue : double.MaxValue);
        double number;
        if (whole && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            number = integer;
        else if (!whole && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number)) { }
        else if (whole && text.TrimStart('+', '-').All(char.IsAsciiDigit) && text.Length > 1)
            number = text.StartsWith('-') ? double.MinValue : double.MaxValue; // beyond long: out of range below
        else
        {
            error = whole ? $"{spec.Name}: '{text}' is not a whole number." : $"{spec.Name}: '{text}' is not a number.";
            return false;
        }
        if (number < spec.Min || number > max || (spec.BelowMax && number >= max) || number >= double.MaxValue || number <= double.MinValue)
        {
            error = $"{spec.Name} must be {Range(spec.Min, max, spec.BelowMax, whole)}; got {text}.";
            return false;
        }
        value = target == typeof(int) ? (int)number : target == typeof(long) ? (long)number : (object)number;
        return true;
    }

    private static string Range(double min, double max, bool belowMax, bool whole)
    {
        string N(double x) => x.ToString(whole ? "N0" : "G", CultureInfo.InvariantCulture);
        var hasMax = max < double.MaxValue;
        return min <= double.MinValue ? $"at most {N(max)}"
            : !hasMax ? $"at least {N(min)}"
            : belowMax ? $"at least {N(min)} and below {N(max)}"
            : $"between {N(min)} and {N(max)}";
    }

    private static string HelpName(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) => "N",
        var t when t == typeof(double) => "X",
        _ => "TEXT",
    };
}
