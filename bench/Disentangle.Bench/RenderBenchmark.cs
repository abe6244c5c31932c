using System.Diagnostics;
using Disentangle.Data;

namespace Disentangle.Bench;

/// <summary>Rendering throughput (images/s) and task-batch throughput (batches/s of 8 tasks × 50 samples).</summary>
public sealed class RenderBenchmark : IBenchmark
{
    public string Name => "render";

    public int Run(string[] args)
    {
        var source = new RenderedShapes();
        if (args.Length >= 2 && args[0] == "gallery")
        {
            ShapesGallery.WriteTraversals(args[1], source, args.Length >= 3 ? int.Parse(args[2]) : 0, zoom: 2);
            Console.WriteLine($"wrote {args[1]}");
            return 0;
        }
        int images = args.Length >= 1 ? int.Parse(args[0]) : 20_000;
        var random = new Random(7);
        var indices = new int[images];
        for (int i = 0; i < images; i++) indices[i] = random.Next(source.Count);
        var buffer = new byte[images * ShapesImage.Bytes];
        source.ReadImages(indices.AsSpan(0, Math.Min(images, 1000)), buffer);   // warm-up: tables and JIT
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        source.ReadImages(indices, buffer);
        double perSecond = images / watch.Elapsed.TotalSeconds;
        double perCpuSecond = images / (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        Console.WriteLine($"images_per_s={perSecond:F0} images_per_cpu_s={perCpuSecond:F0}");
        return 0;
    }
}
