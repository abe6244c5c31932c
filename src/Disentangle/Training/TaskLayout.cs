namespace Disentangle.Training;

/// <summary>How the rows of a feature batch are split into tasks and, within a task, into inner and outer samples.</summary>
/// <remarks>Task t owns rows <c>[t·SamplesPerTask, (t+1)·SamplesPerTask)</c>. With <see cref="SameSamples"/> (the
/// reference's <c>no_inner_outer_split</c>) the inner problem and the outer loss both use all of them; otherwise the first
/// <see cref="InnerSamples"/> rows are the support set and the rest the query set (Eq. 5).</remarks>
/// <param name="Tasks">T, tasks in the batch.</param>
/// <param name="InnerSamples">Rows of a task that the inner problem is fitted on (all of them with SameSamples).</param>
/// <param name="OuterSamples">Rows of a task the outer loss is evaluated on (all of them with SameSamples).</param>
/// <param name="SameSamples">Inner and outer use the same rows.</param>
public sealed record TaskLayout(int Tasks, int InnerSamples, int OuterSamples, bool SameSamples)
{
    /// <summary>The reference's layout: inner and outer on the same <paramref name="samples"/> rows per task.</summary>
    public static TaskLayout Shared(int tasks, int samples) => new(tasks, samples, samples, true);

    /// <summary>A support/query split: <paramref name="inner"/> support rows then <paramref name="outer"/> query rows per task.</summary>
    public static TaskLayout Split(int tasks, int inner, int outer) => new(tasks, inner, outer, false);

    /// <summary>Rows per task in the batch.</summary>
    public int SamplesPerTask => SameSamples ? InnerSamples : InnerSamples + OuterSamples;

    /// <summary>Rows in the batch.</summary>
    public int Rows => Tasks * SamplesPerTask;

    /// <summary>First row of task t's inner samples.</summary>
    public int InnerStart(int task) => task * SamplesPerTask;

    /// <summary>First row of task t's outer samples.</summary>
    public int OuterStart(int task) => SameSamples ? task * SamplesPerTask : task * SamplesPerTask + InnerSamples;

    /// <summary>Throws unless the layout is well formed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1, or SameSamples with different inner and outer counts.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Tasks, 1, nameof(Tasks));
        ArgumentOutOfRangeException.ThrowIfLessThan(InnerSamples, 1, nameof(InnerSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(OuterSamples, 1, nameof(OuterSamples));
        if (SameSamples && InnerSamples != OuterSamples)
            throw new ArgumentOutOfRangeException(nameof(OuterSamples), OuterSamples, $"With shared samples the outer count must equal the inner count {InnerSamples}.");
    }
}
