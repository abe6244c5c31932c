using System.Text.Json;
using Disentangle.Solvers;
using Disentangle.Solvers.GroupSparseSvm;
using Disentangle.Tensors;

namespace Disentangle.Tests.Solvers.GroupSparseSvm;

/// <summary>λ₁ = 0 against scikit-learn's <c>LinearSVC(multi_class="crammer_singer", C = 1/λ₂, fit_intercept=False)</c>
/// (fixtures from tests/fixtures/meta_sklearn_svm.py; its coef_ is Wᵀ and its objective is P/λ₂).</summary>
public sealed class GroupSparseSvmSklearnTests
{
    private sealed record Reference(GroupSparseSvmProblem Problem, Matrix W, Matrix Query, int[] Predictions);

    private static readonly Lazy<Dictionary<string, Reference>> references = new(Load);

    public static TheoryData<string> Names => new() { "five_way_five_shot", "five_way_one_shot_high_dim", "three_way_metaoptnet_c", "four_way_noisy_small_lambda" };

    [Theory, MemberData(nameof(Names))]
    public void Plain_crammer_singer_head_predicts_like_scikit_learn(string name)
    {
        var reference = references.Value[name];
        var solution = GroupSparseSvmTestData.Tight.Solve(reference.Problem);
        Assert.True(solution.Report.Converged);
        var scores = Matrix.Multiply(reference.Query, solution.W);
        for (int i = 0; i < scores.Rows; i++)
        {
            var row = scores.Row(i).ToArray();
            Assert.Equal(reference.Predictions[i], Array.IndexOf(row, row.Max()));
        }
    }

    [Theory, MemberData(nameof(Names))]
    public void Coefficients_and_objective_agree_with_scikit_learn(string name)
    {
        var reference = references.Value[name];
        var solution = GroupSparseSvmTestData.Tight.Solve(reference.Problem);
        double ours = GroupSparseSvmObjective.Primal(reference.Problem, solution.W);
        double theirs = GroupSparseSvmObjective.Primal(reference.Problem, reference.W);
        Assert.True(ours <= theirs + 1e-9, $"{name}: P(ours) = {ours} > P(sklearn) = {theirs}");
        Assert.True((theirs - ours) / ours < 1e-6, $"{name}: P(sklearn) − P(ours) = {theirs - ours:e2}");
        double scale = GroupSparseSvmTestData.MaxAbs(solution.W);
        Assert.True(GroupSparseSvmTestData.MaxAbsDifference(solution.W, reference.W) < 1e-3 * scale,
            $"{name}: max |W − coef_ᵀ| = {GroupSparseSvmTestData.MaxAbsDifference(solution.W, reference.W):e2} (scale {scale:e2})");
    }

    private static Dictionary<string, Reference> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "FewShot", "sklearn_crammer_singer.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var result = new Dictionary<string, Reference>();
        foreach (var p in document.RootElement.GetProperty("problems").EnumerateArray())
        {
            int n = p.GetProperty("n").GetInt32(), dim = p.GetProperty("p").GetInt32(), classes = p.GetProperty("classes").GetInt32();
            int queries = p.GetProperty("queries").GetInt32();
            Matrix Read(string key, int rows, int columns) => new(rows, columns, p.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray());
            int[] Ints(string key) => p.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var problem = new GroupSparseSvmProblem(Read("x", n, dim), Ints("labels"), classes, 0, p.GetProperty("lambda2").GetDouble());
            result[p.GetProperty("name").GetString()!] = new Reference(problem, Read("w", dim, classes), Read("query", queries, dim), Ints("predictions"));
        }
        return result;
    }
}
