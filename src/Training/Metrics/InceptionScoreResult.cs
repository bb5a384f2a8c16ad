namespace ModelDsl.Metrics;

/// <summary>An Inception Score: the mean over splits and its (population) standard deviation, as reported in papers.</summary>
/// <param name="Mean">The mean score over splits; between 1 and the number of classes.</param>
/// <param name="StandardDeviation">The spread over splits.</param>
public readonly record struct InceptionScoreResult(double Mean, double StandardDeviation);
