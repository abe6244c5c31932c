namespace Disentangle.Metrics;

/// <summary>How DCI weighs the per-code disentanglement and per-factor completeness scores.</summary>
public enum DciWeighting
{
    /// <summary>disentanglement_lib (Eastwood &amp; Williams 2018): code i weighs <c>Σ_j R_ij / Σ R</c>, factor j weighs
    /// <c>Σ_i R_ij / Σ R</c>; a code that explains more of the factors counts more.</summary>
    DisentanglementLib,

    /// <summary>The paper's released code (<c>sparsemeta/disentanglement_metrics.py</c>): the importance matrix is first
    /// normalised per code (for D) or per factor (for C), so every code (factor) with a non-zero importance weighs the
    /// same, <c>1/m</c> (<c>1/d</c>): D and C become plain means of the per-code and per-factor scores.</summary>
    ReleasedCode,
}
