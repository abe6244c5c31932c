using Disentangle.FewShot;
using Disentangle.Runs;

namespace Disentangle.Experiments;

/// <summary>One row of a meta-training log (one epoch).</summary>
/// <param name="Epoch">Epoch, from 1.</param>
/// <param name="Step">Optimizer steps so far.</param>
/// <param name="LearningRate">Rate at the epoch's last step.</param>
/// <param name="Loss">Mean query cross-entropy over the epoch.</param>
/// <param name="Accuracy">Mean training query accuracy.</param>
/// <param name="FeatureFraction">Mean fraction of features the SVMs used.</param>
/// <param name="Scale">The learned output scale.</param>
/// <param name="ValidationAccuracy">Mean validation accuracy, NaN when not measured.</param>
/// <param name="Seconds">Wall-clock seconds since training started.</param>
public sealed record MetaTrainLogEntry(int Epoch, long Step, double LearningRate, double Loss, double Accuracy, double FeatureFraction, double Scale,
    double ValidationAccuracy, double Seconds);

/// <summary>What meta-training produced.</summary>
/// <param name="Log">One entry per epoch.</param>
/// <param name="Folder">The run folder.</param>
/// <param name="EpisodesPerSecond">Training episodes per wall-clock second.</param>
public sealed record MetaTrainResult(IReadOnlyList<MetaTrainLogEntry> Log, string Folder, double EpisodesPerSecond);

/// <summary>Options of meta-testing a trained run.</summary>
/// <param name="Episodes">Test episodes (≥ 1,000 for the usual ±0.5% intervals).</param>
/// <param name="Seed">Seed of the test episodes (the same for every run, so runs are compared on the same tasks).</param>
/// <param name="LambdaRatio">λ₁/λ₁max of the test-time head; null: the training value.</param>
/// <param name="Shots">K at test time; null: the training value.</param>
/// <param name="BatchSize">Episodes evaluated together.</param>
public sealed record MetaTestOptions(int Episodes = 1_000, long Seed = 20_231_123, double? LambdaRatio = null, int? Shots = null, int BatchSize = 8)
{
    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Episodes, 2, nameof(Episodes));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        if (LambdaRatio is { } r && !(r >= 0 && r < 1)) throw new ArgumentOutOfRangeException(nameof(LambdaRatio), r, "λ₁/λ₁max must be in [0, 1).");
        if (Shots is < 1) throw new ArgumentOutOfRangeException(nameof(Shots), Shots, "Must be ≥ 1.");
    }
}

/// <summary>Meta-test accuracy and feature usage of one run.</summary>
/// <param name="Dataset">Benchmark name.</param>
/// <param name="Ways">N.</param>
/// <param name="Shots">K.</param>
/// <param name="LambdaRatio">λ₁/λ₁max of the head.</param>
/// <param name="Episodes">Test episodes.</param>
/// <param name="MeanAccuracy">Mean query accuracy over episodes.</param>
/// <param name="ConfidenceInterval95">Half-width 1.96·std/√episodes of the mean accuracy.</param>
/// <param name="MeanFeatureFraction">Mean over episodes of the fraction of features with a non-zero row of W.</param>
/// <param name="FeatureUsage">Per feature, the fraction of episodes whose W uses it.</param>
/// <param name="Seconds">Wall-clock seconds of the evaluation.</param>
/// <param name="HeadSolver">How the head was solved (the exact dual, or the released code's projected-gradient head).</param>
public sealed record MetaTestResult(string Dataset, int Ways, int Shots, double LambdaRatio, int Episodes, double MeanAccuracy,
    double ConfidenceInterval95, double MeanFeatureFraction, double[] FeatureUsage, double Seconds, SvmHeadSolver HeadSolver = SvmHeadSolver.ExactDual);
