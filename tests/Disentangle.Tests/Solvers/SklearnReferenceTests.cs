using System.Text.Json;
using Disentangle.Solvers;
using Disentangle.Tensors;

namespace Disentangle.Tests.Solvers;

/// <summary>Our solutions against scikit-learn's <c>Lasso</c>/<c>MultiTaskLasso</c> (fixtures from tests/fixtures/solvers_sklearn.py).</summary>
public sealed class SklearnReferenceTests
{
    private sealed record Reference(string Name, string Model, Matrix X, Matrix Y, double Alpha, Matrix W);

    private static readonly Lazy<Dictionary<string, Reference>> references = new(Load);

    public static TheoryData<string> Names => new()
    {
        "lasso_n30_m10", "lasso_n20_m50_high_dim", "lasso_n50_m6_training_size",
        "multitask_n30_m15_k3", "multitask_n25_m40_k5_high_dim",
    };

    [Theory, MemberData(nameof(Names))]
    public void Solution_agrees_with_scikit_learn_to_1e_6(string name)
    {
        var reference = references.Value[name];
        var solution = new LassoSolver(new GroupL2(), new CdOptions(Tolerance: 1e-14, MaxEpochs: 100_000))
            .Solve(new InnerProblem(reference.X, reference.Y, reference.Alpha));
        Assert.True(solution.Report.Converged);
        double difference = SolverTestData.MaxAbsDifference(reference.W, solution.W);
        Assert.True(difference < 1e-6, $"{name}: max |W − W_sklearn| = {difference:e2}");
    }

    [Theory, InlineData("lasso_n30_m10"), InlineData("lasso_n20_m50_high_dim"), InlineData("lasso_n50_m6_training_size")]
    public void Entrywise_l1_agrees_with_scikit_learn_lasso(string name)
    {
        var reference = references.Value[name];
        var w = new LassoSolver(new L1(), new CdOptions(Tolerance: 1e-14, MaxEpochs: 100_000))
            .Solve(new InnerProblem(reference.X, reference.Y, reference.Alpha)).W;
        Assert.True(SolverTestData.MaxAbsDifference(reference.W, w) < 1e-6);
    }

    [Fact]
    public void Fixtures_cover_both_scikit_learn_models()
    {
        Assert.Contains(references.Value.Values, r => r.Model == "Lasso" && r.Y.Columns == 1);
        Assert.Contains(references.Value.Values, r => r.Model == "MultiTaskLasso" && r.Y.Columns > 1);
        Assert.All(references.Value.Values, r => Assert.Contains(r.W.Data, v => v != 0));   // not trivially zero
    }

    private static Dictionary<string, Reference> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Solvers", "sklearn_lasso.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var result = new Dictionary<string, Reference>();
        foreach (var p in document.RootElement.GetProperty("problems").EnumerateArray())
        {
            int n = p.GetProperty("n").GetInt32(), m = p.GetProperty("m").GetInt32(), k = p.GetProperty("k").GetInt32();
            Matrix Read(string key, int rows, int columns)
                => new(rows, columns, p.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray());
            var name = p.GetProperty("name").GetString()!;
            result[name] = new Reference(name, p.GetProperty("model").GetString()!, Read("x", n, m), Read("y", n, k),
                p.GetProperty("alpha").GetDouble(), Read("w", m, k));
        }
        return result;
    }
}
