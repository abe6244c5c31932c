namespace Disentangle.FewShot;

/// <summary>How the few-shot head's group-sparse SVM is solved.</summary>
public enum SvmHeadSolver
{
    /// <summary>Our exact dual, block coordinate descent to a duality gap (<see cref="Solvers.GroupSparseSvm.GroupSparseSvmDual"/>).</summary>
    ExactDual,

    /// <summary>The released code's head: a strongly convex dual term and a fixed number of projected-gradient steps
    /// (<see cref="Solvers.GroupSparseSvm.ProjectedGradientSvmDual"/>).</summary>
    ProjectedGradient,
}
