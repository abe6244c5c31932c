using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Disentangle.Data;

/// <summary>Renders one 3D Shapes image from six raw factor values by analytic ray casting (deterministic, allocation-free).</summary>
/// <remarks>
/// Pixel colour = mean over 2×2 samples. Room: <c>floorRGB·a_p·shadow_p + wallRGB·b_p</c> with the intensities
/// <c>a_p, b_p</c> interpolated from <see cref="ShapesScene"/>'s orientation tables. Object: ray vs the analytic shape
/// in its own frame (rotated by orientation, scaled by scale), Lambert + ambient from the point light. Colours are full
/// saturation and value on the HSV hue circle (hue wraps, so off-grid hues are continuous). A fractional shape value
/// <c>i + f</c> cross-fades shapes i and i+1 sample by sample, so the image is continuous in every factor; shape is
/// clamped to [0, 3]. The floor shadow is the soft shadow and contact occlusion of a sphere standing in for the shape.
/// </remarks>
internal static class ShapesRenderer
{
    private const float ShadowStrength = 0.6f, ShadowReach = 1.5f;
    [ThreadStatic] private static float[]? t_scratch;

    public static void Render(ReadOnlySpan<double> raw, Span<byte> rgb)
    {
        var scene = ShapesScene.Instance;
        var scratch = t_scratch ??= new float[ShapesScene.TableLength];
        var floorColour = Hue((float)raw[ShapesFactors.FloorHue]);
        var wallColour = Hue((float)raw[ShapesFactors.WallHue]);
        var objectColour = Hue((float)raw[ShapesFactors.ObjectHue]);
        float scale = (float)raw[ShapesFactors.Scale];
        float shape = Math.Clamp((float)raw[ShapesFactors.Shape], 0f, 3f);
        double degrees = raw[ShapesFactors.Orientation];
        if (!(scale > 0) || !double.IsFinite(degrees) || !float.IsFinite(shape))
            throw new ArgumentException($"Factor values must be finite with a positive scale; got [{string.Join(", ", raw.ToArray())}].", nameof(raw));
        int shape0 = (int)shape;
        float shapeFraction = shape - shape0;   // in [0, 1); 0 at every grid shape

        RoomIntensities(scene, degrees, scratch);
        FloorShadow(scene, scale, shape0, shapeFraction, scratch);
        ComposeRoom(scratch, floorColour, wallColour, rgb);
        DrawObject(scene, scale, degrees, shape0, shapeFraction, objectColour, floorColour, wallColour, scratch, rgb);
    }

    /// <summary>Full-saturation, full-value RGB of a hue in turns (wraps around the circle).</summary>
    public static Vector3 Hue(float hue)
    {
        float h = 6f * (hue - MathF.Floor(hue));
        return new(Math.Clamp(MathF.Abs(h - 3f) - 1f, 0f, 1f), Math.Clamp(2f - MathF.Abs(h - 2f), 0f, 1f), Math.Clamp(2f - MathF.Abs(h - 4f), 0f, 1f));
    }

    private static byte ToByte(float v) => (byte)(Math.Clamp(v, 0f, 1f) * 255f + 0.5f);

    // scratch = (1 − f)·table_k + f·table_{k+1}: floor then wall intensities per pixel and channel.
    private static void RoomIntensities(ShapesScene scene, double degrees, float[] scratch)
    {
        double position = Math.Clamp((degrees - ShapesScene.ThetaMin) / ShapesScene.ThetaStep, 0, ShapesScene.Tables - 1);
        int k = Math.Min((int)position, ShapesScene.Tables - 2);
        float f = (float)(position - k);
        var lo = scene.Background.AsSpan(k * ShapesScene.TableLength, ShapesScene.TableLength);
        var hi = scene.Background.AsSpan((k + 1) * ShapesScene.TableLength, ShapesScene.TableLength);
        if (f == 0f) lo.CopyTo(scratch);
        else TensorPrimitives.Lerp(lo, hi, f, scratch);
    }

    // rgb = round(255·clamp(floorRGB ⊙ a + wallRGB ⊙ b, 0, 1)), 32 values at a time (the colour pattern has period 3).
    private static void ComposeRoom(float[] scratch, Vector3 floorColour, Vector3 wallColour, Span<byte> rgb)
    {
        var floor = scratch.AsSpan(0, ShapesImage.Bytes);
        var wall = scratch.AsSpan(ShapesImage.Bytes, ShapesImage.Bytes);
        Span<float> pattern = stackalloc float[2 * 24];
        for (int i = 0; i < 24; i++)
        {
            pattern[i] = 255f * Channel(floorColour, i % 3);
            pattern[24 + i] = 255f * Channel(wallColour, i % 3);
        }
        var f0 = Vector256.Create<float>(pattern[..8]); var f1 = Vector256.Create<float>(pattern[8..16]); var f2 = Vector256.Create<float>(pattern[16..24]);
        var w0 = Vector256.Create<float>(pattern[24..32]); var w1 = Vector256.Create<float>(pattern[32..40]); var w2 = Vector256.Create<float>(pattern[40..48]);
        var half = Vector256.Create(0.5f);
        var max = Vector256.Create(255f);
        for (int i = 0; i < ShapesImage.Bytes; i += 96)   // 96 = lcm(24, 32): 12 vectors of 8, patterns 0 1 2 0 1 2 …
        {
            Pack(Quantise(floor, wall, i, f0, w0, half, max), Quantise(floor, wall, i + 8, f1, w1, half, max),
                 Quantise(floor, wall, i + 16, f2, w2, half, max), Quantise(floor, wall, i + 24, f0, w0, half, max), rgb[i..]);
            Pack(Quantise(floor, wall, i + 32, f1, w1, half, max), Quantise(floor, wall, i + 40, f2, w2, half, max),
                 Quantise(floor, wall, i + 48, f0, w0, half, max), Quantise(floor, wall, i + 56, f1, w1, half, max), rgb[(i + 32)..]);
            Pack(Quantise(floor, wall, i + 64, f2, w2, half, max), Quantise(floor, wall, i + 72, f0, w0, half, max),
                 Quantise(floor, wall, i + 80, f1, w1, half, max), Quantise(floor, wall, i + 88, f2, w2, half, max), rgb[(i + 64)..]);
        }
    }

    private static void Pack(Vector256<int> v0, Vector256<int> v1, Vector256<int> v2, Vector256<int> v3, Span<byte> destination) =>
        Vector256.Narrow(Vector256.Narrow(v0, v1).AsUInt16(), Vector256.Narrow(v2, v3).AsUInt16()).CopyTo(destination);

    private static Vector256<int> Quantise(Span<float> floor, Span<float> wall, int at, Vector256<float> floorColour, Vector256<float> wallColour,
        Vector256<float> half, Vector256<float> max)
    {
        var v = floorColour * Vector256.Create<float>(floor.Slice(at, 8)) + wallColour * Vector256.Create<float>(wall.Slice(at, 8)) + half;
        return Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(v, Vector256<float>.Zero), max));
    }

    private static float Channel(Vector3 colour, int c) => c == 0 ? colour.X : c == 1 ? colour.Y : colour.Z;

    private static void FloorShadow(ShapesScene scene, float scale, int shape0, float fraction, float[] scratch)
    {
        var (h0, r0) = ShapeGeometry.ShadowProxy(shape0);
        var (h1, r1) = ShapeGeometry.ShadowProxy(shape0 + 1);
        var centre = new Vector3(0, scale * (h0 + fraction * (h1 - h0)), 0);
        float radius = scale * (r0 + fraction * (r1 - r0));
        float reach = MathF.Min(ShadowReach * scale, ShapesScene.ShadowRadius);   // darkening fades out smoothly before this distance
        for (int i = 0; i < scene.ShadowPixels.Length; i++)
        {
            var p = scene.ShadowPoint[i];
            var l = scene.ShadowToLight[i];
            // Soft shadow of a sphere (after Quilez): penumbra from the ray's closest approach d relative to distance t.
            var oc = p - centre;
            float b = Vector3.Dot(oc, l), c = Vector3.Dot(oc, oc) - radius * radius, h = b * b - c;
            float d = MathF.Sqrt(MathF.Max(0f, radius * radius - h)) - radius;
            float t = -b - MathF.Sqrt(MathF.Max(h, 0f));
            float shadow = t < 0 ? 1f : SmoothStep(0f, 1f, 3f * d / t);
            // Contact occlusion of a sphere seen from an upward-facing floor point: cos θ · r² / ℓ².
            float distance = MathF.Sqrt(Vector3.Dot(oc, oc));
            float occlusion = centre.Y * radius * radius / (distance * distance * distance);
            float shade = shadow * (1f - 0.5f * MathF.Min(occlusion, 1f));
            float window = 1f - SmoothStep(0.6f * reach, reach, MathF.Sqrt(p.X * p.X + p.Z * p.Z));
            float darken = 1f - ShadowStrength * (1f - shade) * window;
            int at = 3 * scene.ShadowPixels[i];
            scratch[at] *= darken;
            scratch[at + 1] *= darken;
            scratch[at + 2] *= darken;
        }
    }

    private static float SmoothStep(float edge0, float edge1, float x)
    {
        float u = Math.Clamp((x - edge0) / (edge1 - edge0), 0f, 1f);
        return u * u * (3f - 2f * u);
    }

    private static void DrawObject(ShapesScene scene, float scale, double degrees, int shape0, float fraction,
        Vector3 objectColour, Vector3 floorColour, Vector3 wallColour, float[] scratch, Span<byte> rgb)
    {
        double theta = degrees * Math.PI / 180;
        float cos = (float)Math.Cos(theta), sin = (float)Math.Sin(theta);
        // Object frame = R(−θ)·world / scale; the ray direction keeps unit length (rotation only).
        var origin = ShapesScene.RotateY(ShapesScene.Eye, cos, -sin) / scale;
        var light = ShapesScene.RotateY(ShapesScene.Light, cos, -sin) / scale;
        var (x0, y0, x1, y1) = ScreenBounds(scene, scale);
        for (int row = y0; row <= y1; row++)
            for (int col = x0; col <= x1; col++)
            {
                int p = row * ShapesImage.Width + col;
                var background = floorColour * scratch[3 * p] + wallColour * scratch[ShapesImage.Bytes + 3 * p];
                var sum = Vector3.Zero;
                bool any = false;
                for (int s = 0; s < ShapesScene.Samples; s++)
                {
                    int i = p * ShapesScene.Samples + s;
                    float dx = scene.DirX[i], dz = scene.DirZ[i];
                    var d = new Vector3(cos * dx - sin * dz, scene.DirY[i], sin * dx + cos * dz);
                    var c0 = ShadeObject(shape0, origin, d, light, objectColour, background, ref any);
                    if (fraction == 0f) { sum += c0; continue; }
                    var c1 = ShadeObject(shape0 + 1, origin, d, light, objectColour, background, ref any);
                    sum += c0 + fraction * (c1 - c0);
                }
                if (!any) continue;
                sum /= ShapesScene.Samples;
                rgb[3 * p] = ToByte(sum.X);
                rgb[3 * p + 1] = ToByte(sum.Y);
                rgb[3 * p + 2] = ToByte(sum.Z);
            }
    }

    private static Vector3 ShadeObject(int shape, Vector3 origin, Vector3 d, Vector3 light, Vector3 colour, Vector3 background, ref bool any)
    {
        float t = ShapeGeometry.Intersect(shape, origin, d, out var normal);
        if (float.IsPositiveInfinity(t)) return background;
        any = true;
        var toLight = Vector3.Normalize(light - (origin + t * d));
        return colour * (ShapesScene.ObjectAmbient + ShapesScene.ObjectDiffuse * MathF.Max(0f, Vector3.Dot(normal, toLight)));
    }

    // Pixel rectangle covering the projection of the cube enclosing the bounding sphere (orientation-independent).
    private static (int X0, int Y0, int X1, int Y1) ScreenBounds(ShapesScene scene, float scale)
    {
        float r = ShapeGeometry.BoundRadius * scale, cy = ShapeGeometry.BoundHeight * scale;
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        for (int corner = 0; corner < 8; corner++)
        {
            var q = scene.Project(new Vector3((corner & 1) == 0 ? -r : r, cy + ((corner & 2) == 0 ? -r : r), (corner & 4) == 0 ? -r : r));
            minX = MathF.Min(minX, q.X); maxX = MathF.Max(maxX, q.X);
            minY = MathF.Min(minY, q.Y); maxY = MathF.Max(maxY, q.Y);
        }
        return (Math.Max(0, (int)minX - 1), Math.Max(0, (int)minY - 1),
                Math.Min(ShapesImage.Width - 1, (int)maxX + 1), Math.Min(ShapesImage.Height - 1, (int)maxY + 1));
    }
}
