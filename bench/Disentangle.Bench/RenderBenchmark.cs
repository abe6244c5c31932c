using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Disentangle.Data.Hdf5;
using Disentangle.Data;
using Disentangle.Data.Latents;
using Disentangle.Data.Rendering;
using Disentangle.Data.Tasks;

namespace Disentangle.Bench;

/// <summary>3D Shapes data: rendering throughput, task-batch throughput, HDF5 read throughput, LRU hit rate, grid distinctness.</summary>
/// <remarks>Modes (first argument): <c>images N</c>, <c>batches N</c>, <c>lru</c>, <c>export DIR</c> (raw images and labels of
/// <see cref="FileGrid"/> for the h5py writer), <c>hdf5 FILE</c>, <c>distinct</c> (all 480,000 grid images), <c>gallery PNG [base]</c>.
/// Each prints one <c>key=value</c> line.</remarks>
public sealed class RenderBenchmark : IBenchmark
{
    /// <summary>The grid of the HDF5 benchmark file: 10·10·4·2·4·3 = 9,600 images (118 MB raw), real layout.</summary>
    public static readonly ShapesFactors FileGrid = new([
        ShapesFactors.Linspace(0, 0.9, 10), ShapesFactors.Linspace(0, 0.9, 10), ShapesFactors.Linspace(0, 0.9, 4),
        [0.75, 1.25], [0.0, 1, 2, 3], [-30.0, 0, 30]]);

    public string Name => "render";

    public int Run(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "images";
        return mode switch
        {
            "images" => Images(args.Length > 1 ? int.Parse(args[1]) : 20_000),
            "batches" => Batches(args.Length > 1 ? int.Parse(args[1]) : 50),
            "lru" => Lru(),
            "export" => Export(args[1]),
            "hdf5" => Hdf5(args[1]),
            "distinct" => Distinct(),
            "gallery" => Gallery(args[1], args.Length > 2 ? int.Parse(args[2]) : 123_600),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: render images N | batches N | lru | export DIR | hdf5 FILE | distinct | gallery PNG [base]");
        return 2;
    }

    private static int Images(int count)
    {
        var source = new RenderedShapes(cacheCapacity: 0);   // pure rendering
        var random = new Random(7);
        var indices = Enumerable.Range(0, count).Select(_ => random.Next(source.Count)).ToArray();
        var buffer = new byte[(long)count * ShapesImage.Bytes];
        source.ReadImages(indices.AsSpan(0, Math.Min(count, 2000)), buffer);   // warm-up: tables and JIT
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        source.ReadImages(indices, buffer);
        double seconds = watch.Elapsed.TotalSeconds;
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine($"images_per_s={count / seconds:F0} images_per_cpu_s={count / cpuSeconds:F0} threads={Environment.ProcessorCount}");
        return 0;
    }

    // The reference run's batches: 8 tasks × (25 + 25), harder_gauss_0.9, latent noise 1.0, binomial_gauss.
    private static int Batches(int count)
    {
        var source = new RenderedShapes();
        var sampler = new TaskBatchSampler(source, new TaskBatchOptions(
            Distribution: LatentDistributions.Parse("harder_gauss_0.9"), LatentNoiseScale: 1.0, Seed: 1));
        for (int i = 0; i < 3; i++) sampler.Sample(i);   // warm-up
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++) sampler.Sample(1000 + i);
        double direct = count / watch.Elapsed.TotalSeconds;
        using var prefetch = new PrefetchingTaskBatches(sampler, firstBatch: 5000, capacity: 3);
        prefetch.Next();
        watch.Restart();
        for (int i = 0; i < count; i++) prefetch.Next();
        Console.WriteLine($"batches_per_s={direct:F1} prefetched_batches_per_s={count / watch.Elapsed.TotalSeconds:F1} "
            + $"cache_hit_rate={(double)source.CacheHits / source.CacheRequests:F2}");
        return 0;
    }

    // Hit rate of an LRU image cache of 4,096 images over the reference batches (is caching worth it?).
    private static int Lru()
    {
        const int capacity = 4096, batches = 500;
        foreach (var name in new[] { "uniform", "harder_gauss_0.9" })
        {
            var sampler = new TaskBatchSampler(new RenderedShapes(), new TaskBatchOptions(Distribution: LatentDistributions.Parse(name), Seed: 2));
            var options = sampler.Options;
            var order = new LinkedList<int>();
            var nodes = new Dictionary<int, LinkedListNode<int>>();
            long hits = 0, requests = 0;
            var random = new Random(3);
            var indices = new int[options.SamplesPerTask];
            for (int b = 0; b < batches; b++)
                for (int t = 0; t < options.Tasks; t++)
                {
                    options.Distribution!.Sample(random, indices);
                    foreach (int i in indices)
                    {
                        requests++;
                        if (nodes.TryGetValue(i, out var node)) { hits++; order.Remove(node); order.AddFirst(node); continue; }
                        nodes[i] = order.AddFirst(i);
                        if (nodes.Count > capacity) { nodes.Remove(order.Last!.Value); order.RemoveLast(); }
                    }
                }
            Console.Write($"lru_hit_rate_{name}={(double)hits / requests:F3} ");
        }
        Console.WriteLine();
        return 0;
    }

    private static int Export(string folder)
    {
        var source = new RenderedShapes(FileGrid);
        var images = new byte[(long)FileGrid.Count * ShapesImage.Bytes];
        source.ReadImages(Enumerable.Range(0, FileGrid.Count).ToArray(), images);
        var labels = new double[FileGrid.Count * 6];
        for (int i = 0; i < FileGrid.Count; i++) FileGrid.RawValues(i, labels.AsSpan(i * 6, 6));
        File.WriteAllBytes(Path.Combine(folder, "images.bin"), images);
        File.WriteAllBytes(Path.Combine(folder, "labels.bin"), MemoryMarshal.AsBytes(labels.AsSpan()).ToArray());
        Console.WriteLine($"exported={FileGrid.Count}");
        return 0;
    }

    // Reads every image in batches of 400 consecutive rows, then 20 batches of 400 random rows; MB/s of uint8 image data.
    private static int Hdf5(string path)
    {
        using var file = new Hdf5Shapes(path, FileGrid);
        const int batch = 400;
        var buffer = new byte[batch * ShapesImage.Bytes];
        var rows = new int[batch];
        file.ReadImages([0], buffer);   // warm-up
        var watch = Stopwatch.StartNew();
        for (int start = 0; start < file.Count; start += batch)
        {
            int n = Math.Min(batch, file.Count - start);
            for (int i = 0; i < n; i++) rows[i] = start + i;
            file.ReadImages(rows.AsSpan(0, n), buffer);
        }
        double sequential = (double)file.Count * ShapesImage.Bytes / 1e6 / watch.Elapsed.TotalSeconds;
        var random = new Random(4);
        watch.Restart();
        for (int b = 0; b < 20; b++)
        {
            for (int i = 0; i < batch; i++) rows[i] = random.Next(file.Count);
            file.ReadImages(rows, buffer);
        }
        double randomRate = 20.0 * batch * ShapesImage.Bytes / 1e6 / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"hdf5_backend={file.Backend} hdf5_mb_per_s={sequential:F0} hdf5_random_mb_per_s={randomRate:F0}");
        return 0;
    }

    // Hashes all 480,000 grid images (SHA-256) and counts distinct hashes.
    private static int Distinct()
    {
        var source = new RenderedShapes();
        var hashes = new HashSet<UInt128>();
        const int block = 8000;
        var buffer = new byte[block * ShapesImage.Bytes];
        var keys = new UInt128[block];
        var watch = Stopwatch.StartNew();
        for (int start = 0; start < source.Count; start += block)
        {
            source.ReadImages(Enumerable.Range(start, block).ToArray(), buffer);
            Parallel.For(0, block, i =>
            {
                Span<byte> digest = stackalloc byte[32];
                SHA256.HashData(buffer.AsSpan(i * ShapesImage.Bytes, ShapesImage.Bytes), digest);
                keys[i] = MemoryMarshal.Read<UInt128>(digest);
            });
            foreach (var k in keys) hashes.Add(k);
        }
        Console.WriteLine($"grid_images={source.Count} distinct_images={hashes.Count} seconds={watch.Elapsed.TotalSeconds:F1}");
        return hashes.Count == source.Count ? 0 : 1;
    }

    private static int Gallery(string path, int baseIndex)
    {
        ShapesGallery.WriteTraversals(path, new RenderedShapes(), baseIndex, zoom: 2);
        Console.WriteLine($"wrote={path}");
        return 0;
    }
}
