using System.CommandLine;
using Disentangle.Data;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle gallery</c>: a PNG of factor traversals of the data set, to look at the data.</summary>
public static class GalleryCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("gallery", "Write a PNG with one row per factor traversal (floor hue, wall hue, object hue, scale, shape, orientation).");
        var output = new Option<string>("--out") { Description = "PNG file to write", DefaultValueFactory = _ => "shapes.png" };
        var data = new Option<string?>("--data") { Description = "a real 3dshapes.h5 (default: the embedded renderer)" };
        var baseIndex = new Option<int>("--base-index") { Description = "grid index whose other factors the traversals keep", DefaultValueFactory = _ => 0 };
        var zoom = new Option<int>("--zoom") { Description = "pixel magnification", DefaultValueFactory = _ => 2 };
        foreach (var option in new Option[] { output, data, baseIndex, zoom }) command.Options.Add(option);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var source = ShapesSources.Open(result.GetValue(data));
            string path = Path.GetFullPath(result.GetValue(output)!);
            ShapesGallery.WriteTraversals(path, source, result.GetValue(baseIndex), result.GetValue(zoom));
            Console.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }
}
