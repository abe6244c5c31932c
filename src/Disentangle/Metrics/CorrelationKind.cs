namespace Disentangle.Metrics;

/// <summary>Which correlation coefficient relates true and learned latents.</summary>
public enum CorrelationKind
{
    /// <summary>Pearson's product-moment correlation (linear dependence).</summary>
    Pearson,
    /// <summary>Spearman's rank correlation: Pearson on the ranks, ties given their average rank (monotone dependence).</summary>
    Spearman,
}
