using System.CommandLine;
using Disentangle.Data;
using Disentangle.Data.Rendering;
using Disentangle.Plots;

namespace Disentangle.Cli.Commands;

/// <summary><c>disentangle gallery</c>: a PNG of factor traversals of the data set, to look at the data.</summary>
public static class GalleryCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var command = new Command("gallery", "Write a figure with one labelled row per factor traversal (floor hue, wall hue, object hue, scale, shape, orientation).");
        var binder = new ConfigBinder<GalleryOptions>(command, new GalleryOptions());
        binder.Add<string>("--out", "file to write (the extension follows --format)");
        binder.Add<string?>("--data", "a real 3dshapes.h5 (none: the embedded renderer)");
        binder.Add<int>("--base-index", "grid index whose other factors the traversals keep");
        binder.Add<int>("--zoom", "pixel magnification");
        binder.Add<FigureFormat>("--format", "png | svg | pdf");
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var options = binder.Bind(result);
            CommandRunner.PrintConfig(options);
            var source = ShapesSources.Open(options.Data);
            string path = FigureFile.OutputPath(options.Out, options.Format);
            ShapesGallery.WriteTraversals(path, source, options.BaseIndex, options.Zoom);
            Console.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }
}
