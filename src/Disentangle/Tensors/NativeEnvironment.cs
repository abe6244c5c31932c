using System.Runtime.InteropServices;

namespace Disentangle.Tensors;

/// <summary>The process's native environment, which native libraries read when they load (on Linux, .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> keeps its own copy and does not reach it).</summary>
internal static class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> unless the user set it; call before the library
    /// that reads it loads.</summary>
    public static void Default(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is null) _ = setenv(name, value, 0);
    }

    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);
}
