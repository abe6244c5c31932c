namespace Disentangle.FewShot;

/// <summary>The feature extractor of a few-shot model.</summary>
public enum BackboneKind
{
    /// <summary><see cref="Conv4"/>.</summary>
    Conv4,

    /// <summary><see cref="Nn.ResNet12"/> (MetaOptNet's backbone; named <c>resnet12</c> on the command line).</summary>
    Resnet12,
}
