namespace Disentangle.Tensors;

/// <summary>A scope in which ops record no graph: <c>using (new NoGrad()) { … }</c>.</summary>
/// <remarks>The flag flows with the execution context (<see cref="AsyncLocal{T}"/>), so work started inside the scope
/// (tasks, <c>Parallel.For</c> bodies) is covered too, and other threads are unaffected. Scopes nest.</remarks>
public sealed class NoGrad : IDisposable
{
    private static readonly AsyncLocal<int> depth = new();
    private bool disposed;

    /// <summary>Enters the scope.</summary>
    public NoGrad() => depth.Value++;

    /// <summary>True inside a scope on the current execution context.</summary>
    public static bool IsActive => depth.Value > 0;

    /// <summary>Leaves the scope (idempotent).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        depth.Value--;
    }
}
