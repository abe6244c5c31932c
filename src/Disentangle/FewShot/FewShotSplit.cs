namespace Disentangle.FewShot;

/// <summary>The disjoint class splits of a few-shot benchmark (meta-train, meta-validation, meta-test).</summary>
public enum FewShotSplit
{
    /// <summary>Classes seen during meta-training.</summary>
    Train,

    /// <summary>Classes used for model selection.</summary>
    Validation,

    /// <summary>Classes used for the reported accuracy.</summary>
    Test,
}
