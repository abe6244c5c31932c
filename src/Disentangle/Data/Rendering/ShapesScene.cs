using Disentangle.Tensors;
using System.Numerics;

namespace Disentangle.Data.Rendering;

/// <summary>The fixed part of the rendered 3D Shapes scene: camera, light, room, and what can be precomputed from them.</summary>
/// <remarks>
/// World frame: y up, the floor is <c>y = 0</c>, the object stands at the origin. A pinhole camera looks down at the
/// object from the front; two vertical walls meet at a corner behind the object (the camera looks into the corner).
/// Orientation rotates the room and the object together about the vertical axis through the object (the camera and the
/// point light stay fixed), as in the real dataset where the corner moves with orientation.
/// Every pixel is the mean of 2×2 sub-pixel samples. Floor and walls depend only on orientation (and on the two hues,
/// which only scale the precomputed intensities), so their per-pixel intensities are tabulated for orientations from
/// −35° to 35° every 0.25° and interpolated linearly in between: continuous in orientation, exact at table nodes
/// (every grid orientation is a node); beyond ±35° (reachable only with latent noise above 2) the room stays at ±35°.
/// </remarks>
internal sealed class ShapesScene
{
    public const int Samples = 4;                    // 2×2 supersampling
    public const int SampleCount = ShapesImage.Pixels * Samples;
    public const double ThetaMin = -35, ThetaMax = 35, ThetaStep = 0.25;
    public const int Tables = (int)((ThetaMax - ThetaMin) / ThetaStep) + 1;

    public static readonly Vector3 Eye = new(0f, 2.1f, 4.4f);
    public static readonly Vector3 Target = new(0f, 0.85f, -0.6f);
    public const float TanHalfFov = 0.42f;            // vertical and horizontal (square image)
    public static readonly Vector3 Light = new(-2.5f, 6.0f, 4.0f);
    public const float CornerDistance = 3.2f;         // corner of the room behind the object
    public const float RoomAmbient = 0.5f, RoomDiffuse = 0.5f;
    public const float ObjectAmbient = 0.38f, ObjectDiffuse = 0.7f;
    public const float ShadowRadius = 2.6f;           // floor darkening vanishes smoothly beyond this distance

    public static ShapesScene Instance => s_instance.Value;
    private static readonly Lazy<ShapesScene> s_instance = new(() => new ShapesScene(), LazyThreadSafetyMode.ExecutionAndPublication);

    public readonly Vector3 Forward, Right, Up;
    /// <summary>Unit ray direction of every sample, index (pixel·4 + sub-sample), pixel = row·64 + column.</summary>
    public readonly float[] DirX = new float[SampleCount], DirY = new float[SampleCount], DirZ = new float[SampleCount];
    /// <summary>Per table: the floor intensity of every pixel (mean over its samples, 0 where no sample sees the floor),
    /// repeated for the 3 channels (12,288 values, HWC like the image), then the wall intensity likewise.</summary>
    public readonly float[] Background = new float[Tables * TableLength];
    public const int TableLength = 2 * ShapesImage.Bytes;
    /// <summary>Pixels whose centre ray meets the floor within <see cref="ShadowRadius"/> of the object, their floor
    /// point and the unit direction and distance to the light.</summary>
    public readonly int[] ShadowPixels;
    public readonly Vector3[] ShadowPoint, ShadowToLight;

    private ShapesScene()
    {
        Forward = Vector3.Normalize(Target - Eye);
        Right = Vector3.Normalize(Vector3.Cross(Forward, Vector3.UnitY));
        Up = Vector3.Cross(Right, Forward);
        for (int row = 0; row < ShapesImage.Height; row++)
            for (int col = 0; col < ShapesImage.Width; col++)
                for (int s = 0; s < Samples; s++)
                {
                    var d = Direction(col + 0.25f + 0.5f * (s & 1), row + 0.25f + 0.5f * (s >> 1));
                    int i = (row * ShapesImage.Width + col) * Samples + s;
                    (DirX[i], DirY[i], DirZ[i]) = (d.X, d.Y, d.Z);
                }
        Parallel.For(0, Tables, Parallelism.Options, FillTable);

        var pixels = new List<int>();
        var points = new List<Vector3>();
        var toLight = new List<Vector3>();
        for (int p = 0; p < ShapesImage.Pixels; p++)
        {
            var d = Direction(p % ShapesImage.Width + 0.5f, p / ShapesImage.Width + 0.5f);
            if (d.Y >= 0) continue;
            var q = Eye + (-Eye.Y / d.Y) * d;
            if (q.X * q.X + q.Z * q.Z >= ShadowRadius * ShadowRadius) continue;
            pixels.Add(p);
            points.Add(q);
            toLight.Add(Vector3.Normalize(Light - q));
        }
        ShadowPixels = [.. pixels];
        ShadowPoint = [.. points];
        ShadowToLight = [.. toLight];
    }

    /// <summary>Unit ray direction through image position (x, y) in pixels (x right, y down, origin top-left).</summary>
    public Vector3 Direction(float x, float y)
    {
        float u = x / (ShapesImage.Width / 2f) - 1f, v = 1f - y / (ShapesImage.Height / 2f);
        return Vector3.Normalize(Forward + (u * TanHalfFov) * Right + (v * TanHalfFov) * Up);
    }

    /// <summary>Image position (x right, y down, in pixels) of a world point in front of the camera.</summary>
    public Vector2 Project(Vector3 world)
    {
        var r = world - Eye;
        float z = Vector3.Dot(r, Forward);
        float u = Vector3.Dot(r, Right) / (z * TanHalfFov), v = Vector3.Dot(r, Up) / (z * TanHalfFov);
        return new((u + 1f) * (ShapesImage.Width / 2f), (1f - v) * (ShapesImage.Height / 2f));
    }

    /// <summary>Rotation of the room and object about the vertical axis: x' = c·x + s·z, z' = −s·x + c·z.</summary>
    public static Vector3 RotateY(Vector3 p, float cos, float sin) => new(cos * p.X + sin * p.Z, p.Y, -sin * p.X + cos * p.Z);

    /// <summary>Lambert + ambient intensity of the room at point <paramref name="p"/> with normal <paramref name="n"/>.</summary>
    public static float RoomIntensity(Vector3 p, Vector3 n) =>
        RoomAmbient + RoomDiffuse * MathF.Max(0f, Vector3.Dot(n, Vector3.Normalize(Light - p)));

    private void FillTable(int table)
    {
        double theta = (ThetaMin + table * ThetaStep) * Math.PI / 180;
        float cos = (float)Math.Cos(theta), sin = (float)Math.Sin(theta);
        var corner = RotateY(new Vector3(0, 0, -CornerDistance), cos, sin);
        var normalLeft = RotateY(Vector3.Normalize(new Vector3(1, 0, 1)), cos, sin);
        var normalRight = RotateY(Vector3.Normalize(new Vector3(-1, 0, 1)), cos, sin);
        var span = Background.AsSpan(table * TableLength, TableLength);
        for (int p = 0; p < ShapesImage.Pixels; p++)
        {
            float floor = 0, wall = 0;
            for (int s = 0; s < Samples; s++)
            {
                int i = p * Samples + s;
                var d = new Vector3(DirX[i], DirY[i], DirZ[i]);
                float tFloor = d.Y < 0 ? -Eye.Y / d.Y : float.PositiveInfinity;
                float tLeft = WallDistance(d, corner, normalLeft), tRight = WallDistance(d, corner, normalRight);
                float tWall = MathF.Min(tLeft, tRight);
                if (tFloor <= tWall) floor += RoomIntensity(Eye + tFloor * d, Vector3.UnitY);
                else wall += RoomIntensity(Eye + tWall * d, tLeft < tRight ? normalLeft : normalRight);
            }
            span.Slice(3 * p, 3).Fill(floor / Samples);
            span.Slice(ShapesImage.Bytes + 3 * p, 3).Fill(wall / Samples);
        }
    }

    private static float WallDistance(Vector3 d, Vector3 corner, Vector3 normal)
    {
        float denominator = Vector3.Dot(normal, d);   // < 0 when the ray heads into the wall
        return denominator < 0 ? Vector3.Dot(normal, corner - Eye) / denominator : float.PositiveInfinity;
    }
}
