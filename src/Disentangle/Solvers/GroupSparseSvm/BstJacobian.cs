using System.Numerics.Tensors;
using Disentangle.Tensors;

namespace Disentangle.Solvers.GroupSparseSvm;

/// <summary>The Jacobian of <c>BST_rows(·, λ₁)</c> at M: <c>J_j = s_j I + t_j M_j M_jᵀ</c> on active rows.</summary>
internal sealed class BstJacobian
{
    public BstJacobian(Matrix m, double lambda1)
    {
        M = m;
        Scale = new double[m.Rows];
        RootCurvature = new double[m.Rows];
        for (int j = 0; j < m.Rows; j++)
        {
            double norm = TensorPrimitives.Norm<double>(m.Row(j));
            if (lambda1 == 0) { Scale[j] = 1; continue; }
            if (norm <= lambda1) continue;
            Scale[j] = 1 - lambda1 / norm;
            RootCurvature[j] = Math.Sqrt(lambda1 / (norm * norm * norm));
            HasCurvature = true;
        }
    }

    public Matrix M { get; }
    public double[] Scale { get; }
    public double[] RootCurvature { get; }
    public bool HasCurvature { get; }

    /// <summary><c>factor · J(V)</c> for V of shape (p, N).</summary>
    public Matrix Apply(Matrix v, double factor)
    {
        var result = new Matrix(v.Rows, v.Columns);
        for (int j = 0; j < v.Rows; j++)
        {
            if (Scale[j] == 0) continue;
            var target = result.Row(j);
            TensorPrimitives.Multiply<double>(v.Row(j), Scale[j] * factor, target);
            if (RootCurvature[j] == 0) continue;
            double t = RootCurvature[j] * RootCurvature[j];
            double dot = TensorPrimitives.Dot<double>(M.Row(j), v.Row(j));
            TensorPrimitives.MultiplyAdd<double>(M.Row(j), t * dot * factor, target, target);
        }
        return result;
    }
}
