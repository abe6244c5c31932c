namespace Disentangle.Training;

/// <summary>Over which rows the encoder's batch norms compute their training-mode statistics.</summary>
public enum BatchNormStatistics
{
    /// <summary>Each task's samples on their own (inner and outer sets separately with <c>--split</c>): the released code maps
    /// the whole encoder forward over tasks (<c>jax.vmap</c> of the outer loss), so every batch norm in it sees one task.</summary>
    PerTask,
    /// <summary>All T·n samples of the batch together (this project's earlier behaviour).</summary>
    WholeBatch,
}
