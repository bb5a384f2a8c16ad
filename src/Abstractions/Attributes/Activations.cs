namespace ModelDsl;

/// <summary>Rectified linear unit.</summary>
public sealed class ReLUAttribute : StepAttribute
{
}

/// <summary>Leaky ReLU with the given negative slope (default 0.01).</summary>
public sealed class LeakyReLUAttribute(double slope = 0.01) : StepAttribute
{
    /// <summary>Slope for negative inputs.</summary>
    public double Slope { get; } = slope;
}

/// <summary>Gaussian error linear unit (exact, as PyTorch's default).</summary>
public sealed class GELUAttribute : StepAttribute
{
}

/// <summary>Hyperbolic tangent.</summary>
public sealed class TanhAttribute : StepAttribute
{
}

/// <summary>Logistic sigmoid.</summary>
public sealed class SigmoidAttribute : StepAttribute
{
}

/// <summary>Sigmoid-weighted linear unit, <c>x · σ(x)</c> (also called swish), as in SwiGLU.</summary>
public sealed class SiLUAttribute : StepAttribute
{
}

/// <summary>Element-wise exponential, e.g. a standard deviation <c>exp(logVar / 2)</c> after <see cref="ScaleAttribute"/>.</summary>
public sealed class ExpAttribute : StepAttribute
{
}

/// <summary>Softmax along <see cref="Dim"/> (default the last).</summary>
public sealed class SoftmaxAttribute : StepAttribute
{
    /// <summary>The dimension that sums to one; negative counts from the end.</summary>
    public int Dim { get; set; } = -1;
}

/// <summary>Log-softmax along <see cref="Dim"/> (default the last).</summary>
public sealed class LogSoftmaxAttribute : StepAttribute
{
    /// <summary>The dimension normalised; negative counts from the end.</summary>
    public int Dim { get; set; } = -1;
}
