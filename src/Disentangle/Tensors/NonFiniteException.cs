namespace Disentangle.Tensors;

/// <summary>An input holds NaN or ±∞ where only finite values make sense (a diverged encoder's features, say).</summary>
/// <remarks>An <see cref="ArgumentException"/>, so callers that treat every bad input alike still can; training catches this
/// type to report a divergence instead of a usage error.</remarks>
public sealed class NonFiniteException(string message, string? paramName = null) : ArgumentException(message, paramName);
