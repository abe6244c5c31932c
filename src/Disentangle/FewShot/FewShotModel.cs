using Disentangle.Nn;
using Disentangle.Tensors;

namespace Disentangle.FewShot;

/// <summary>A backbone and MetaOptNet's learned output scale: query logits are <c>scale · X_q W_t</c>.</summary>
public sealed class FewShotModel : Module
{
    /// <summary>Creates the model.</summary>
    /// <param name="kind">Conv4 or ResNet-12.</param>
    /// <param name="inChannels">Image channels.</param>
    /// <param name="imageSize">Image side S.</param>
    /// <param name="width">Conv4 channels per block, or ResNet-12's first block width (the others scale as 64:160:320:640).</param>
    /// <param name="random">Initialisation.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or S &lt; 16.</exception>
    public FewShotModel(BackboneKind kind, int inChannels, int imageSize, int width, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 16);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        (Backbone, FeatureCount) = kind switch
        {
            BackboneKind.Conv4 => Build(new Conv4(inChannels, width, random), b => b.FeatureCount(imageSize)),
            BackboneKind.Resnet12 => Build(new ResNet12(new ResNet12Options([width, width * 5 / 2, width * 5, width * 10], InChannels: inChannels), random),
                b => b.FeatureCount(imageSize)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown backbone."),
        };
        RegisterModule("backbone", Backbone);
        Scale = RegisterParameter("scale", Tensor.Full([1], 1f, requiresGrad: true));
    }

    private static (Module, int) Build<T>(T backbone, Func<T, int> features) where T : Module => (backbone, features(backbone));

    /// <summary>The feature extractor.</summary>
    public Module Backbone { get; }

    /// <summary>Features per image p.</summary>
    public int FeatureCount { get; }

    /// <summary>The learned output scale (initialised at 1, as in MetaOptNet).</summary>
    public Tensor Scale { get; }

    /// <summary>(N, C, S, S) images → (N, p) features.</summary>
    public override Tensor Forward(Tensor input) => Backbone.Forward(input);
}
