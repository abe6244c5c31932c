using Disentangle.Tensors;

namespace Disentangle.Data.Tasks;

/// <summary>T regression tasks on 3D Shapes or a user's data set: images, latents, coefficients and targets, all from one seed.</summary>
/// <remarks>Sample s of task t is row <c>t·n + s</c> of every array (n = <see cref="SamplesPerTask"/>); its first
/// <see cref="InnerShots"/> samples are the inner (support) set, the rest the outer (query) set.</remarks>
/// <param name="Index">Position of the batch in its stream.</param>
/// <param name="Tasks">Number of tasks T.</param>
/// <param name="SamplesPerTask">Samples per task n (inner + outer).</param>
/// <param name="InnerShots">Inner samples per task.</param>
/// <param name="Outputs">Outputs k per task.</param>
/// <param name="Images">float32 images in [0, 1], shape [T·n, C, H, W] (NCHW; [T·n, 3, 64, 64] for 3D Shapes).</param>
/// <param name="Latents">Standardised (noisy) latents z, T × n × d row-major.</param>
/// <param name="Coefficients">Task coefficients W, T × d × k row-major.</param>
/// <param name="Targets">Targets Y = ZW + noise, T × n × k row-major.</param>
/// <param name="Indices">Sample (grid) index of every sample, T × n.</param>
public sealed record TaskBatch(long Index, int Tasks, int SamplesPerTask, int InnerShots, int Outputs,
    Tensor Images, double[] Latents, double[] Coefficients, double[] Targets, int[] Indices)
{
    /// <summary>Factors d per sample (6 for 3D Shapes).</summary>
    public int FactorCount => Latents.Length / (Tasks * SamplesPerTask);

    /// <summary>Latents of task t as an n × d matrix (a copy).</summary>
    public Matrix TaskLatents(int t) => Slice(Latents, t, SamplesPerTask, FactorCount);

    /// <summary>Coefficients of task t as a d × k matrix (a copy).</summary>
    public Matrix TaskCoefficients(int t) => Slice(Coefficients, t, FactorCount, Outputs);

    /// <summary>Targets of task t as an n × k matrix (a copy).</summary>
    public Matrix TaskTargets(int t) => Slice(Targets, t, SamplesPerTask, Outputs);

    private Matrix Slice(double[] data, int t, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(t);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(t, Tasks);
        return new Matrix(rows, columns, data.AsSpan(t * rows * columns, rows * columns).ToArray());
    }
}
