namespace Disentangle.Io;

/// <summary>How <see cref="JsonFiles"/> names JSON properties.</summary>
public enum JsonNaming
{
    /// <summary><c>LearningRate</c> ↔ <c>learningRate</c>.</summary>
    CamelCase,
    /// <summary>Property names exactly as declared in C#.</summary>
    AsIs,
}
