namespace Disentangle.FewShot;

/// <summary>One N-way K-shot episode: support and query images with episode-local labels 0…N−1.</summary>
/// <param name="Support">N·K images, C·S·S floats each (CHW), class-major (all shots of label 0 first).</param>
/// <param name="SupportLabels">Label of each support image, length N·K.</param>
/// <param name="Query">N·queries images, class-major.</param>
/// <param name="QueryLabels">Label of each query image.</param>
/// <param name="Classes">The split's class index behind each episode label, length N.</param>
public sealed record Episode(float[] Support, int[] SupportLabels, float[] Query, int[] QueryLabels, int[] Classes);
