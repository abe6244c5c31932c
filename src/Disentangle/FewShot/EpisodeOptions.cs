namespace Disentangle.FewShot;

/// <summary>The shape of an N-way K-shot episode.</summary>
/// <param name="Ways">N, classes per episode (≥ 2).</param>
/// <param name="Shots">K, support images per class (≥ 1).</param>
/// <param name="Queries">Query images per class (≥ 1).</param>
public sealed record EpisodeOptions(int Ways = 5, int Shots = 1, int Queries = 15)
{
    /// <summary>Support images per episode, N·K.</summary>
    public int SupportSize => Ways * Shots;

    /// <summary>Query images per episode, N·queries.</summary>
    public int QuerySize => Ways * Queries;

    /// <summary>Throws when a count is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Ways &lt; 2, Shots &lt; 1 or Queries &lt; 1.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Ways, 2, nameof(Ways));
        ArgumentOutOfRangeException.ThrowIfLessThan(Shots, 1, nameof(Shots));
        ArgumentOutOfRangeException.ThrowIfLessThan(Queries, 1, nameof(Queries));
    }
}
