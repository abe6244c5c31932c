using Disentangle.Tensors;

namespace Disentangle.FewShot;

/// <summary>A meta-batch of T episodes stacked task-major, ready for a backbone and <see cref="GroupSparseSvmHead"/>.</summary>
/// <param name="Support">Support images, shape (T·N·K, C, S, S).</param>
/// <param name="SupportLabels">Per episode, its N·K support labels.</param>
/// <param name="Query">Query images, shape (T·N·queries, C, S, S).</param>
/// <param name="QueryLabels">All query labels, task-major, length T·N·queries.</param>
/// <param name="Episodes">The episodes themselves.</param>
public sealed record EpisodeBatch(Tensor Support, int[][] SupportLabels, Tensor Query, int[] QueryLabels, Episode[] Episodes);
