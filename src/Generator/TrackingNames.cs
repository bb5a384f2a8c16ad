namespace ModelDsl.Generator;

/// <summary>Names of the tracked pipeline steps, for incremental-caching tests.</summary>
public static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Check = nameof(Check);
    public const string ParseGan = nameof(ParseGan);
    public const string CheckGan = nameof(CheckGan);
    public const string Diagnostics = nameof(Diagnostics);
    public const string Sources = nameof(Sources);
    public const string HelpLinkBase = nameof(HelpLinkBase);
}
