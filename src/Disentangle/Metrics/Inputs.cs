using Disentangle.Tensors;

namespace Disentangle.Metrics;

/// <summary>Checks of the (true latents, learned latents) pair every metric takes at its public boundary.</summary>
internal static class Inputs
{
    /// <summary>Throws unless both matrices are finite, have the same number of rows n ≥ 2, and at least one column.</summary>
    public static void CheckPair(Matrix trueLatents, Matrix learnedLatents, string trueName, string learnedName)
    {
        ArgumentNullException.ThrowIfNull(trueLatents, trueName);
        ArgumentNullException.ThrowIfNull(learnedLatents, learnedName);
        if (trueLatents.Rows != learnedLatents.Rows)
            throw new ArgumentException(
                $"{trueName} has {trueLatents.Rows} rows but {learnedName} has {learnedLatents.Rows}; rows are samples and must match.",
                learnedName);
        CheckSamples(trueLatents, trueName);
        CheckSamples(learnedLatents, learnedName);
    }

    /// <summary>Throws unless the matrix has n ≥ 2 rows, at least one column and only finite entries.</summary>
    public static void CheckSamples(Matrix x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.Rows < 2)
            throw new ArgumentException($"{name} has {x.Rows} rows (samples); at least 2 are needed.", name);
        if (x.Columns < 1)
            throw new ArgumentException($"{name} has no columns.", name);
        var data = x.Data;
        for (int k = 0; k < data.Length; k++)
            if (!double.IsFinite(data[k]))
                throw new ArgumentException(
                    $"{name}[{k / x.Columns}, {k % x.Columns}] is {data[k]}; every entry must be finite.", name);
    }
}
