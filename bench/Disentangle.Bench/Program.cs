using System.Reflection;
using Disentangle.Bench;

var benchmarks = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .ToDictionary(b => b.Name, StringComparer.Ordinal);

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine($"usage: Disentangle.Bench NAME [args]; NAME is one of: {string.Join(", ", benchmarks.Keys.Order())}");
    return 2;
}
return benchmark.Run(args[1..]);
