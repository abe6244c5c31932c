using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>Shape checks of the (true latents, learned latents) pair every metric takes at its public boundary.</summary>
/// <remarks>Finiteness and constant columns are checked by <see cref="CenteredColumns.Prepare"/> in the same pass that
/// computes the column means.</remarks>
internal static class Inputs
{
    /// <summary>Throws unless both matrices have the same number of rows n ≥ 2 and at least one column.</summary>
    public static void CheckPair(Matrix trueLatents, Matrix learnedLatents, string trueName, string learnedName)
    {
        ArgumentNullException.ThrowIfNull(trueLatents, trueName);
        ArgumentNullException.ThrowIfNull(learnedLatents, learnedName);
        if (trueLatents.Rows != learnedLatents.Rows)
            throw new ArgumentException(
                $"{trueName} has {trueLatents.Rows} rows but {learnedName} has {learnedLatents.Rows}; rows are samples and must match.",
                learnedName);
        CheckShape(trueLatents, trueName);
        CheckShape(learnedLatents, learnedName);
    }

    private static void CheckShape(Matrix x, string name)
    {
        if (x.Rows < 2)
            throw new ArgumentException($"{name} has {x.Rows} rows (samples); at least 2 are needed.", name);
        if (x.Columns < 1)
            throw new ArgumentException($"{name} has no columns.", name);
    }
}
