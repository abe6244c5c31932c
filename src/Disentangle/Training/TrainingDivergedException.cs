namespace Disentangle.Training;

/// <summary>Training produced a non-finite loss or features; the last good checkpoint is kept.</summary>
public sealed class TrainingDivergedException(string message, Exception? inner = null) : Exception(message, inner);
