using System.Text.Json.Nodes;
using Disentangle.Io;
using Disentangle.Tests.Data.OwnData;
using Disentangle.Tests.Io;

namespace Disentangle.Tests.Cli;

/// <summary>docs/own-data.md's example, end to end through the command line: a file of blob images with three factors
/// (x, y, brightness), trained for a few steps, evaluated, and the refusals around it.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class OwnDataCliTests
{
    private const string Quick = "--steps 4 --eval-every 2 --log-every 2 --eval-samples 60 --validation-tasks 2 --tasks 2 --inner-shots 10 --outer-shots 10 --seed 1";

    private static (int ExitCode, string Output) Run(string commandLine) => CliRunner.Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void A_users_npz_file_trains_evaluates_and_scores_its_three_factors()
    {
        using var dir = new TempDirectory();
        string data = dir.File("blobs.npz"), run = dir.File("run");
        BlobData.WriteNpz(data, 200);
        var (code, output) = Run($"train --data {data} --latents harder_gauss_0.5 {Quick} --out {run}");
        Assert.True(code == 0, output);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!;
        Assert.Equal(3, config["zDim"]!.GetValue<int>());                    // --z-dim defaults to d
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "data.json")))!;
        Assert.Equal(new FileInfo(data).Length, record["bytes"]!.GetValue<long>());

        (code, output) = Run($"evaluate {run} --samples 60 --checkpoint last");
        Assert.True(code == 0, output);
        (code, output) = Run($"evaluate {run} --full-grid --checkpoint last");
        Assert.True(code == 0, output);
        Assert.Contains("(200 samples)", output);                             // the whole file
        var scores = Directory.GetFiles(run, "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!)
            .SelectMany(Descendants).Where(n => n is JsonObject o && o.ContainsKey("mccPerFactor")).ToArray();
        Assert.NotEmpty(scores);
        Assert.All(scores, s => Assert.Equal(3, s["mccPerFactor"]!.AsArray().Count));
        Assert.All(scores, s => Assert.Equal(3, s["assignment"]!.AsArray().Count));
        var latents = Directory.GetFiles(run, "*latents*.npy");
        Assert.NotEmpty(latents);
        Assert.All(latents, f => Assert.Equal(3, Npy.Read(f).Shape[1]));
        Assert.Empty(Directory.GetFiles(run, "traversals*"));                 // no grid to traverse
        (code, output) = Run($"traversals {run}");
        Assert.Equal(2, code);
        Assert.Contains("3D Shapes grid", output);
    }

    [NativeHdf5Fact]
    public void A_users_hdf5_file_trains_like_the_npz_one()
    {
        using var dir = new TempDirectory();
        string data = dir.File("blobs.h5"), run = dir.File("run");
        BlobData.WriteHdf5(data, 120);
        var (code, output) = Run($"train --data {data} --latents uniform --z-dim 4 {Quick} --out {run}");
        Assert.True(code == 0, output);
        Assert.Equal(4, JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!["zDim"]!.GetValue<int>());
        Assert.Contains("MCC", output);
    }

    [Fact]
    public void Resume_and_evaluate_refuse_another_file_at_the_recorded_path()
    {
        using var dir = new TempDirectory();
        string data = dir.File("blobs.npz"), run = dir.File("run");
        BlobData.WriteNpz(data, 100);
        Assert.Equal(0, Run($"train --data {data} --inputs linear {Quick} --out {run}").ExitCode);
        BlobData.WriteNpz(data, 100, seed: 2);                                  // same path and size, other content
        var (code, output) = Run($"train --data {data} --inputs linear {Quick.Replace("--steps 4", "--steps 6")} --resume --out {run}");
        Assert.Equal(2, code);
        Assert.Contains("is not the file the run", output);
        (code, output) = Run($"evaluate {run} --samples 50");
        Assert.Equal(2, code);
        Assert.Contains("is not the file the run", output);
    }

    [Fact]
    public void Bad_data_and_3d_shapes_only_options_fail_before_anything_is_created()
    {
        using var dir = new TempDirectory();
        string data = dir.File("blobs.npz"), constant = dir.File("constant.npz"), run = dir.File("run");
        BlobData.WriteNpz(data, 60);
        var (images, factors) = BlobData.Generate(60);
        for (int i = 0; i < 60; i++) factors[i * 3 + 1] = 7;
        BlobData.WriteNpz(constant, TensorData.Create(images, [60, 16, 16, 1]), TensorData.Create(factors, [60, 3]));
        foreach (var (line, fragment) in new[]
        {
            ($"train --data {constant} {Quick} --out {run}", "factor 1 is constant"),
            ($"train --data {data} --latent-noise-images perturbed-latent {Quick} --out {run}", "--latent-noise-images"),
            ($"train --data {data} --coefficients fix_size_support_5 {Quick} --out {run}", "fix_size_support_5"),
            ($"train --data {dir.File("missing.npz")} {Quick} --out {run}", "does not exist"),
            ($"gallery --data {data} --out {run}.png", "3D Shapes only"),
        })
        {
            var (code, output) = Run(line);
            Assert.True(code == 2, $"{line}: {output}");
            Assert.Contains(fragment, output);
            Assert.DoesNotContain("   at ", output);
            Assert.False(Directory.Exists(run), line);
        }
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node) => node switch
    {
        JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Descendants).Prepend(node),
        JsonArray a => a.OfType<JsonNode>().SelectMany(Descendants).Prepend(node),
        _ => [node],
    };
}
