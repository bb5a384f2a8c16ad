namespace ModelDsl;

/// <summary>
/// Calls a method of the model as a step: anything the catalogue lacks is one small method, not a hand-written
/// model. The method receives the flowing value and then the taps named by <c>with</c>, and returns the new value.
/// Its parameters and return value carry <see cref="ShapeAttribute"/>s: that contract is checked against the shapes
/// flowing in at compile time, and its result is checked at run time.
/// </summary>
/// <example>
/// <code>
/// [Input(nameof(Mu)), Call(nameof(Reparameterize), nameof(LogVar)), Linear("hidden"), ReLU]
/// partial Linear Decode { get; }
///
/// [return: Shape("B", "latent")]
/// static Tensor Reparameterize([Shape("B", "latent")] Tensor mu, [Shape("B", "latent")] Tensor logVar)
///     => mu + torch.exp(logVar / 2) * torch.randn_like(mu);
/// </code>
/// </example>
public sealed class CallAttribute(string method, params string[] with) : StepAttribute
{
    /// <summary>The method called, e.g. <c>nameof(Reparameterize)</c>.</summary>
    public string Method { get; } = method;

    /// <summary>Taps passed after the flowing value, in order.</summary>
    public string[] With { get; } = with;
}
