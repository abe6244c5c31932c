using System.Diagnostics;
using System.Text.Json;
using Disentangle.Data;
using Disentangle.Data.Rendering;
using Disentangle.Io;
using Disentangle.Runs;
using Disentangle.Tensors;
using Disentangle.Tests.Io;
using Disentangle.Training;

namespace Disentangle.Tests.Docs;

/// <summary>A fact that needs PyTorch under /usr/bin/python3 (Debian's python3-torch): skipped, with the reason, elsewhere.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (PythonPeer.Unavailable is { } reason) return reason;
        var info = new ProcessStartInfo(PythonPeer.Interpreter, ["-c", "import torch"]) { RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : $"{PythonPeer.Interpreter} cannot import torch: {error.Trim().Split('\n')[^1]}";
    });

    public TorchFactAttribute()
    {
        if (Missing.Value is { } reason) Skip = $"PyTorch interop skipped: {reason} (apt-get install python3-torch).";
    }
}

public sealed class PythonSnippetTests
{
    /// <summary>The first ```python block of docs/python.md.</summary>
    private static string Snippet()
    {
        string docs = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(PythonPeer.FixtureScript("x"))!)!, "..", "docs", "python.md");
        string text = File.ReadAllText(docs);
        int start = text.IndexOf("```python\n", StringComparison.Ordinal) + "```python\n".Length;
        return text[start..text.IndexOf("\n```", start, StringComparison.Ordinal)];
    }

    [TorchFact]
    public void The_documented_python_snippet_loads_the_checkpoint_into_pytorch_and_gives_our_features()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"disentangle-snippet-{Guid.NewGuid():N}");
        new TrainingRun(new TrainOptions(Steps: 2, Tasks: 2, InnerShots: 5, OuterShots: 5, EvalEvery: 2, EvalSamples: 50,
            ValidationTasks: 2, Seed: 3, Out: folder)).Train();
        var encoder = new RunEvaluation(folder, new EvaluateOptions(Checkpoint: CheckpointChoice.Last)).Encoder;
        int[] indices = [0, 1234, 99_999, 479_999];
        var bytes = new byte[indices.Length * ShapesImage.Bytes];
        new RenderedShapes().ReadImages(indices, bytes);
        Npy.Write(Path.Combine(folder, "images.npy"), bytes, [indices.Length, ShapesImage.Height, ShapesImage.Width, ShapesImage.Channels]);
        var pixels = new float[bytes.Length];
        ShapesImage.ToFloatChw(bytes, pixels);
        encoder.Eval();
        Tensor expected;
        using (new NoGrad()) expected = encoder.Forward(new Tensor(pixels, [indices.Length, ShapesImage.Channels, ShapesImage.Height, ShapesImage.Width]));

        string script = Path.Combine(folder, "open_run.py");
        File.WriteAllText(script, Snippet());
        var summary = JsonDocument.Parse(PythonPeer.RunScript(script, folder, Path.Combine(folder, "images.npy"))).RootElement;

        Assert.Equal([50, 6], summary.GetProperty("features").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([50, 6], summary.GetProperty("latents").EnumerateArray().Select(e => e.GetInt32()));
        var encoded = summary.GetProperty("encoded").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();
        Assert.Equal(expected.Length, encoded.Length);
        for (int i = 0; i < encoded.Length; i++) Assert.True(Math.Abs(encoded[i] - expected.Data[i]) < 1e-3 * (1 + Math.Abs(expected.Data[i])), $"feature {i}: {encoded[i]} vs {expected.Data[i]}");
    }
}
