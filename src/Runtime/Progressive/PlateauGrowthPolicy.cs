using System;

namespace ModelDsl.Progressive;

/// <summary>
/// Capacity that grows with the data: asks for a new column when validation accuracy has stopped improving
/// (no gain above <see cref="MinImprovement"/> for <see cref="Patience"/> evaluations) while still below
/// <see cref="Target"/>.
/// </summary>
public sealed class PlateauGrowthPolicy
{
    private double _best = double.NegativeInfinity;
    private int _stale;

    /// <summary>Creates a policy; accuracies are fractions in [0, 1].</summary>
    public PlateauGrowthPolicy(double target, int patience = 3, double minImprovement = 0.002)
    {
        if (target is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(target), target, "must be in (0, 1]");
        if (patience < 1)
            throw new ArgumentOutOfRangeException(nameof(patience), patience, "must be at least 1");
        (Target, Patience, MinImprovement) = (target, patience, minImprovement);
    }

    /// <summary>The accuracy at which the network is big enough.</summary>
    public double Target { get; }

    /// <summary>How many evaluations without improvement count as a plateau.</summary>
    public int Patience { get; }

    /// <summary>The smallest gain that counts as improvement.</summary>
    public double MinImprovement { get; }

    /// <summary>Records one validation accuracy; true when the network should grow a column now.</summary>
    public bool ShouldGrow(double validationAccuracy)
    {
        if (validationAccuracy > _best + MinImprovement)
        {
            _best = validationAccuracy;
            _stale = 0;
        }
        else
        {
            _stale++;
        }

        if (_best >= Target || _stale < Patience)
            return false;
        Reset();
        return true;
    }

    /// <summary>Forgets the history, as after adding a column.</summary>
    public void Reset()
    {
        _best = double.NegativeInfinity;
        _stale = 0;
    }
}
