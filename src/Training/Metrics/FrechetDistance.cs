using System;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Metrics;

/// <summary>
/// The Fréchet distance between Gaussians fitted to two feature sets (FID when the features are Inception's):
/// <c>‖μ₁−μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁^½ Σ₂ Σ₁^½)^½)</c>. Computed in float64 with symmetric eigendecompositions,
/// which stay real where the general matrix square root of <c>Σ₁Σ₂</c> (scipy's sqrtm) drifts complex.
/// </summary>
public static class FrechetDistance
{
    /// <summary>The distance between the Gaussians fitted to feature rows <paramref name="featuresA"/> <c>[N, D]</c> and <paramref name="featuresB"/> <c>[M, D]</c>.</summary>
    /// <exception cref="ArgumentException">Not 2-D, different widths, fewer than two rows, or non-finite values.</exception>
    public static double Compute(Tensor featuresA, Tensor featuresB)
    {
        using var scope = NewDisposeScope();
        if (featuresA.dim() != 2 || featuresB.dim() != 2 || featuresA.shape[1] != featuresB.shape[1])
            throw new ArgumentException(
                $"Features must be [N, D] and [M, D] with the same D; got [{string.Join(", ", featuresA.shape)}] and [{string.Join(", ", featuresB.shape)}].");
        var (meanA, covarianceA) = Statistics(featuresA);
        var (meanB, covarianceB) = Statistics(featuresB);
        return FromStatistics(meanA, covarianceA, meanB, covarianceB);
    }

    /// <summary>
    /// The mean <c>[D]</c> and unbiased covariance <c>[D, D]</c> (divisor N − 1, as numpy's <c>cov</c>) of feature
    /// rows, in float64 — e.g. to compute a real dataset's statistics once. The caller disposes both.
    /// </summary>
    public static (Tensor Mean, Tensor Covariance) Statistics(Tensor features)
    {
        if (features.dim() != 2 || features.shape[0] < 2)
            throw new ArgumentException($"Features must be [N, D] with N >= 2; got [{string.Join(", ", features.shape)}].", nameof(features));
        using var scope = NewDisposeScope();
        var x = features.detach().to_type(ScalarType.Float64);
        if (!x.isfinite().all().item<bool>())
            throw new ArgumentException("Features contain NaN or infinite values.", nameof(features));
        var mean = x.mean([0]);
        var centred = x - mean;
        var covariance = centred.t().mm(centred) / (x.shape[0] - 1);
        return (mean.MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope());
    }

    /// <summary>The distance between two Gaussians given by means <c>[D]</c> and covariances <c>[D, D]</c>.</summary>
    public static double FromStatistics(Tensor mean1, Tensor covariance1, Tensor mean2, Tensor covariance2)
    {
        using var scope = NewDisposeScope();
        var mu1 = mean1.to_type(ScalarType.Float64);
        var mu2 = mean2.to_type(ScalarType.Float64);
        var sigma1 = Symmetric(covariance1.to_type(ScalarType.Float64));
        var sigma2 = Symmetric(covariance2.to_type(ScalarType.Float64));

        var difference = mu1 - mu2;
        var meanTerm = difference.dot(difference).item<double>();

        // Σ₁^½ Σ₂ Σ₁^½ is symmetric PSD and has the eigenvalues of Σ₁Σ₂, so Tr((Σ₁Σ₂)^½) = Σ √λ of it.
        var root1 = SquareRoot(sigma1);
        var product = Symmetric(root1.mm(sigma2).mm(root1));
        var (eigenvalues, _) = linalg.eigh(product);
        var traceOfRoot = eigenvalues.clamp_min(0).sqrt().sum().item<double>();

        var traceTerm = sigma1.trace().item<double>() + sigma2.trace().item<double>() - 2 * traceOfRoot;
        // Mathematically ≥ 0; rounding can leave −1e−12 for identical inputs.
        return Math.Max(0, meanTerm + traceTerm);
    }

    private static Tensor Symmetric(Tensor m) => (m + m.t()) / 2;

    // PSD square root by eigendecomposition; tiny negative eigenvalues from rounding are clamped to zero.
    private static Tensor SquareRoot(Tensor symmetric)
    {
        var (values, vectors) = linalg.eigh(symmetric);
        return (vectors * values.clamp_min(0).sqrt().unsqueeze(0)).mm(vectors.t());
    }
}
