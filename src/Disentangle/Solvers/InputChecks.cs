using System.Numerics.Tensors;
using Disentangle.Tensors;

namespace Disentangle.Solvers;

/// <summary>Shape and finiteness checks of the solvers' matrices (ranges are checked by <see cref="Guard"/>): messages name
/// the argument and the offending value.</summary>
internal static class InputChecks
{
    /// <summary>Checks that X (n, m) and Y (n, k) are non-empty, have matching rows and only finite entries.</summary>
    public static void CheckDesign(Matrix x, Matrix y, string xName = "x", string yName = "y")
    {
        ArgumentNullException.ThrowIfNull(x, xName);
        ArgumentNullException.ThrowIfNull(y, yName);
        if (x.Rows == 0 || x.Columns == 0)
            throw new ArgumentException($"The design {xName} is empty ({x.Rows}×{x.Columns}); it needs at least one sample and one feature.", xName);
        if (y.Columns == 0)
            throw new ArgumentException($"The targets {yName} have no columns ({y.Rows}×0).", yName);
        if (x.Rows != y.Rows)
            throw new ArgumentException($"{xName} has {x.Rows} rows but {yName} has {y.Rows}; they must match.", yName);
        CheckFinite(x, xName);
        CheckFinite(y, yName);
    }

    /// <summary>Throws when a matrix has a NaN or infinite entry, naming its position and value.</summary>
    public static void CheckFinite(Matrix a, string name)
    {
        if (double.IsFinite(TensorPrimitives.MaxMagnitude<double>(a.Data))) return;   // NaN and ±∞ propagate
        for (int i = 0; i < a.Data.Length; i++)
            if (!double.IsFinite(a.Data[i]))
                throw new NonFiniteException($"{name}[{i / a.Columns}, {i % a.Columns}] = {a.Data[i]}; every entry must be finite.", name);
    }

    /// <summary>Checks a cotangent's shape against the coefficients (m, k).</summary>
    public static void CheckCotangent(Matrix cotangent, int m, int k, string name = "cotangent")
    {
        ArgumentNullException.ThrowIfNull(cotangent, name);
        if (cotangent.Rows != m || cotangent.Columns != k)
            throw new ArgumentException($"{name} is {cotangent.Rows}×{cotangent.Columns} but the coefficients are {m}×{k}.", name);
        CheckFinite(cotangent, name);
    }
}
