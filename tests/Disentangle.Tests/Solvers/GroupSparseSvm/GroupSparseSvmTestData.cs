using Disentangle.Solvers;
using Disentangle.Solvers.GroupSparseSvm;
using Disentangle.Tensors;

namespace Disentangle.Tests.Solvers.GroupSparseSvm;

/// <summary>Seeded few-shot-like classification problems for the group-sparse SVM tests.</summary>
internal static class GroupSparseSvmTestData
{
    /// <summary>N classes × K shots in p dimensions: x = μ_y + noise, with class means on the first <paramref name="informative"/>
    /// features only (the rest is noise), so a sparse W can do as well as a dense one.</summary>
    public static GroupSparseSvmProblem Problem(int classes, int shots, int p, double lambda1, double lambda2, int seed, int informative = 3, double noise = 1.0)
    {
        var random = new Random(seed);
        var means = new Matrix(classes, p);
        for (int c = 0; c < classes; c++)
            for (int j = 0; j < Math.Min(informative, p); j++) means[c, j] = 2 * random.NextGaussian();
        int n = classes * shots;
        var x = new Matrix(n, p);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % classes;
            for (int j = 0; j < p; j++) x[i, j] = means[labels[i], j] + noise * random.NextGaussian();
        }
        return new GroupSparseSvmProblem(x, labels, classes, lambda1, lambda2);
    }

    public static GroupSparseSvmDual Tight => new(new GroupSparseSvmOptions(Tolerance: 1e-13, MaxEpochs: 200_000, LambdaMaxTolerance: 1e-6, LambdaMaxIterations: 200_000));

    /// <summary>The problem with λ₁ = ratio·λ₁max.</summary>
    public static GroupSparseSvmProblem WithRatio(GroupSparseSvmProblem problem, double ratio)
        => problem with { Lambda1 = ratio * Tight.LambdaMax(problem.X, problem.Labels, problem.Classes).Value };

    public static double MaxAbs(Matrix a) => a.Data.Max(Math.Abs);

    /// <summary>Asserts that <paramref name="dx"/> matches central differences (step 1e-6) of <paramref name="loss"/> at
    /// <paramref name="x"/> on <paramref name="trials"/> random entries.</summary>
    public static void AssertMatchesCentralDifferences(Matrix x, Func<Matrix, double> loss, Matrix dx, int trials)
    {
        var random = new Random(3);
        const double h = 1e-6;
        double scale = dx.Data.Max(Math.Abs);
        for (int trial = 0; trial < trials; trial++)
        {
            int i = random.Next(x.Rows), j = random.Next(x.Columns);
            var plus = x.Clone();
            var minus = x.Clone();
            plus[i, j] += h;
            minus[i, j] -= h;
            double numeric = (loss(plus) - loss(minus)) / (2 * h);
            Assert.True(Math.Abs(numeric - dx[i, j]) <= 1e-5 * scale + 1e-4 * Math.Abs(numeric),
                $"X[{i},{j}]: analytic {dx[i, j]:G8}, numeric {numeric:G8} (scale {scale:e2})");
        }
    }

    public static double MaxAbsDifference(Matrix a, Matrix b) => a.Data.Zip(b.Data, (u, v) => Math.Abs(u - v)).Max();

    /// <summary>A reference primal solve by proximal subgradient descent with steps 1/(λ₂t) and a weighted average of the
    /// iterates (Lacoste-Julien, Schmidt &amp; Bach 2012): <c>W ← prox_{ηλ₁‖·‖_{2,1}}(W − η(∂hinge + λ₂W))</c>.</summary>
    public static Matrix PrimalSubgradient(GroupSparseSvmProblem problem, int iterations)
    {
        int n = problem.X.Rows, p = problem.X.Columns, classes = problem.Classes;
        var w = new Matrix(p, classes);
        var average = new Matrix(p, classes);
        double weightSum = 0;
        var prox = new GroupL2();
        for (int t = 1; t <= iterations; t++)
        {
            var scores = Matrix.Multiply(problem.X, w);
            var gradient = new Matrix(p, classes);
            for (int i = 0; i < n; i++)
            {
                int y = problem.Labels[i], worst = y;
                double best = 0;
                for (int c = 0; c < classes; c++)
                    if (c != y && 1 + scores[i, c] - scores[i, y] > best) { best = 1 + scores[i, c] - scores[i, y]; worst = c; }
                if (worst == y) continue;
                for (int j = 0; j < p; j++)
                {
                    gradient[j, worst] += problem.X[i, j];
                    gradient[j, y] -= problem.X[i, j];
                }
            }
            double step = 1 / (problem.Lambda2 * t);
            for (int k = 0; k < w.Data.Length; k++) w.Data[k] -= step * (gradient.Data[k] + problem.Lambda2 * w.Data[k]);
            for (int j = 0; j < p; j++) prox.Prox(w.Row(j), step * problem.Lambda1, w.Row(j));
            double weight = t;                                                                    // weights ∝ t
            weightSum += weight;
            for (int k = 0; k < w.Data.Length; k++) average.Data[k] += weight / weightSum * (w.Data[k] - average.Data[k]);
        }
        return average;
    }
}
