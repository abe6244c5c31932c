using Disentangle.Metrics;

namespace Disentangle.Tests.Metrics;

/// <summary>Agreement with SciPy's linear_sum_assignment / spearmanr and with scikit-learn regressions plus
/// disentanglement_lib's DCI formulas, on fixtures from tests/fixtures/metrics_reference.py.</summary>
public sealed class ReferenceAgreementTests
{
    [Fact]
    public void Assignment_agrees_with_scipy_linear_sum_assignment()
    {
        var cases = Fixture.Load("Metrics", "assignment.json").GetProperty("cases").EnumerateArray().ToArray();
        Assert.True(cases.Length >= 10);
        foreach (var c in cases)
        {
            var cost = c.Matrix("cost");
            var result = c.GetProperty("maximize").GetBoolean() ? LinearAssignment.Maximize(cost) : LinearAssignment.Minimize(cost);
            Assert.Equal(c.Double("total"), result.Total, 1e-10);
            Assert.Equal(c.Ints("rows"), result.RowIndices);
            if (!c.GetProperty("ties").GetBoolean()) Assert.Equal(c.Ints("cols"), result.ColumnIndices);
        }
    }

    [Fact]
    public void Spearman_with_ties_and_pearson_agree_with_scipy()
    {
        var f = Fixture.Load("Metrics", "correlation.json");
        var a = f.Matrix("a");
        var b = f.Matrix("b");
        Fixture.AssertClose(f.Matrix("spearman").Data, Correlation.Compute(a, b, CorrelationKind.Spearman).Data, 1e-12, "spearman");
        Fixture.AssertClose(f.Matrix("pearson").Data, Correlation.Compute(a, b, CorrelationKind.Pearson).Data, 1e-12, "pearson");
    }

    [Fact]
    public void Mcc_r_and_dci_agree_with_numpy_sklearn_and_disentanglement_lib()
    {
        var cases = Fixture.Load("Metrics", "metrics.json").GetProperty("cases").EnumerateArray().ToArray();
        Assert.Equal(3, cases.Length);
        foreach (var c in cases)
        {
            string name = c.GetProperty("name").GetString()!;
            var z = c.Matrix("z");
            var zhat = c.Matrix("zhat");
            var pearson = Mcc.Compute(z, zhat);
            Assert.Equal(c.Double("mcc_pearson"), pearson.Mcc, 1e-12);
            Assert.Equal(c.Ints("assignment_pearson"), pearson.Assignment);
            Fixture.AssertClose(c.Matrix("correlations_pearson").Data, pearson.Correlations.Data, 1e-12, $"{name} pearson");
            var spearman = Mcc.Compute(z, zhat, CorrelationKind.Spearman);
            Assert.Equal(c.Double("mcc_spearman"), spearman.Mcc, 1e-12);
            Assert.Equal(c.Ints("assignment_spearman"), spearman.Assignment);

            var report = DisentanglementReport.Evaluate(z, zhat);
            Fixture.AssertClose(c.Doubles("r2"), report.MultipleCorrelation.RSquared, 1e-10, $"{name} R²");
            Fixture.AssertClose(c.Doubles("r_per_factor"), report.MultipleCorrelation.PerFactor, 1e-10, $"{name} R");
            Assert.Equal(c.Double("r"), report.MultipleCorrelation.R, 1e-10);

            var dci = report.Dci;
            Fixture.AssertClose(c.Matrix("importance").Data, dci.Importance.Data, 1e-9, $"{name} importance");
            Fixture.AssertClose(c.Doubles("disentanglement_per_code"), dci.DisentanglementPerCode, 1e-9, $"{name} D_i");
            Fixture.AssertClose(c.Doubles("completeness_per_factor"), dci.CompletenessPerFactor, 1e-9, $"{name} C_j");
            Fixture.AssertClose(c.Doubles("code_weights"), dci.CodeWeights, 1e-9, $"{name} code weights");
            Fixture.AssertClose(c.Doubles("factor_weights"), dci.FactorWeights, 1e-9, $"{name} factor weights");
            Assert.Equal(c.Double("disentanglement"), dci.Disentanglement, 1e-9);
            Assert.Equal(c.Double("completeness"), dci.Completeness, 1e-9);
            Assert.Equal(c.Doubles("r2").Average(), dci.Informativeness, 1e-10);
        }
    }
}
