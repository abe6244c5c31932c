using System.Numerics;
using System.Runtime.Intrinsics;

namespace Disentangle.Data.Rendering;

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
    private const int Floor = 0, Wall = ShapesImage.Bytes;   // offsets of the two intensity planes in a table
    [ThreadStatic] private static float[]? t_darken;          // floor darkening per pixel and channel; 1 outside the shadow

    public static void Render(ReadOnlySpan<double> raw, Span<byte> rgb)
    {
        var scene = ShapesScene.Instance;
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

        var room = new Room(scene, degrees, t_darken ??= Ones());
        FloorShadow(scene, scale, shape0, shapeFraction, room.Darken);
        ComposeRoom(room, floorColour, wallColour, rgb);
        DrawObject(scene, scale, degrees, shape0, shapeFraction, objectColour, floorColour, wallColour, room, rgb);
        foreach (int p in scene.ShadowPixels) room.Darken.AsSpan(3 * p, 3).Fill(1f);   // leave the buffer all ones
    }

    /// <summary>Full-saturation, full-value RGB of a hue in turns (wraps around the circle).</summary>
    public static Vector3 Hue(float hue)
    {
        float h = 6f * (hue - MathF.Floor(hue));
        return new(Math.Clamp(MathF.Abs(h - 3f) - 1f, 0f, 1f), Math.Clamp(2f - MathF.Abs(h - 2f), 0f, 1f), Math.Clamp(2f - MathF.Abs(h - 4f), 0f, 1f));
    }

    private static float[] Ones()
    {
        var ones = new float[ShapesImage.Bytes];
        Array.Fill(ones, 1f);
        return ones;
    }

    private static byte ToByte(float v) => (byte)(Math.Clamp(v, 0f, 1f) * 255f + 0.5f);

    /// <summary>The two orientation tables around θ and the interpolation weight: intensity = lo + f·(hi − lo).</summary>
    private readonly ref struct Room
    {
        public readonly ReadOnlySpan<float> Lo, Hi;
        public readonly float F;
        public readonly float[] Darken;

        public Room(ShapesScene scene, double degrees, float[] darken)
        {
            double position = Math.Clamp((degrees - ShapesScene.ThetaMin) / ShapesScene.ThetaStep, 0, ShapesScene.Tables - 1);
            int k = Math.Min((int)position, ShapesScene.Tables - 2);
            F = (float)(position - k);
            Lo = scene.Background.AsSpan(k * ShapesScene.TableLength, ShapesScene.TableLength);
            Hi = scene.Background.AsSpan((k + 1) * ShapesScene.TableLength, ShapesScene.TableLength);
            Darken = darken;
        }

        /// <summary>Room colour of pixel p: floorRGB·a·darken + wallRGB·b.</summary>
        public Vector3 Colour(int p, Vector3 floorColour, Vector3 wallColour)
        {
            int i = 3 * p;
            float a = (Lo[Floor + i] + F * (Hi[Floor + i] - Lo[Floor + i])) * Darken[i];
            float b = Lo[Wall + i] + F * (Hi[Wall + i] - Lo[Wall + i]);
            return floorColour * a + wallColour * b;
        }
    }

    // rgb = round(255·clamp(floorRGB ⊙ a ⊙ darken + wallRGB ⊙ b, 0, 1)) with a, b interpolated between the tables,
    // 32 values at a time (the colour pattern has period 3, so 96 values = 12 vectors cycle through 3 patterns).
    private static void ComposeRoom(Room room, Vector3 floorColour, Vector3 wallColour, Span<byte> rgb)
    {
        Span<float> pattern = stackalloc float[2 * 24];
        for (int i = 0; i < 24; i++)
        {
            pattern[i] = 255f * Channel(floorColour, i % 3);
            pattern[24 + i] = 255f * Channel(wallColour, i % 3);
        }
        Span<Vector256<float>> fc = stackalloc Vector256<float>[3];
        Span<Vector256<float>> wc = stackalloc Vector256<float>[3];
        for (int j = 0; j < 3; j++)
        {
            fc[j] = Vector256.Create<float>(pattern.Slice(8 * j, 8));
            wc[j] = Vector256.Create<float>(pattern.Slice(24 + 8 * j, 8));
        }
        var f = Vector256.Create(room.F);
        Span<Vector256<int>> q = stackalloc Vector256<int>[4];
        for (int i = 0; i < ShapesImage.Bytes; i += 96)
            for (int group = 0; group < 3; group++)      // 32 values per group
            {
                for (int v = 0; v < 4; v++)
                {
                    int at = i + 32 * group + 8 * v, colour = (4 * group + v) % 3;
                    var loF = Vector256.Create(room.Lo.Slice(Floor + at, 8));
                    var loW = Vector256.Create(room.Lo.Slice(Wall + at, 8));
                    var a = (loF + f * (Vector256.Create(room.Hi.Slice(Floor + at, 8)) - loF)) * Vector256.Create<float>(room.Darken.AsSpan(at, 8));
                    var b = loW + f * (Vector256.Create(room.Hi.Slice(Wall + at, 8)) - loW);
                    var value = fc[colour] * a + wc[colour] * b + Vector256.Create(0.5f);
                    q[v] = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(value, Vector256<float>.Zero), Vector256.Create(255f)));
                }
                Vector256.Narrow(Vector256.Narrow(q[0], q[1]).AsUInt16(), Vector256.Narrow(q[2], q[3]).AsUInt16()).CopyTo(rgb.Slice(i + 32 * group, 32));
            }
    }

    private static float Channel(Vector3 colour, int c) => c == 0 ? colour.X : c == 1 ? colour.Y : colour.Z;

    private static void FloorShadow(ShapesScene scene, float scale, int shape0, float fraction, float[] darken)
    {
        var (h0, r0) = ShapeGeometry.ShadowProxy(shape0);
        var (h1, r1) = ShapeGeometry.ShadowProxy(shape0 + 1);
        var centre = new Vector3(0, scale * (h0 + fraction * (h1 - h0)), 0);
        float radius = scale * (r0 + fraction * (r1 - r0));
        float reach = MathF.Min(ShadowReach * scale, ShapesScene.ShadowRadius);   // darkening fades out smoothly before this distance
        for (int i = 0; i < scene.ShadowPixels.Length; i++)
        {
            var p = scene.ShadowPoint[i];
            float planar = MathF.Sqrt(p.X * p.X + p.Z * p.Z);
            if (planar >= reach) continue;
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
            float window = 1f - SmoothStep(0.6f * reach, reach, planar);
            darken.AsSpan(3 * scene.ShadowPixels[i], 3).Fill(1f - ShadowStrength * (1f - shade) * window);
        }
    }

    private static float SmoothStep(float edge0, float edge1, float x)
    {
        float u = Math.Clamp((x - edge0) / (edge1 - edge0), 0f, 1f);
        return u * u * (3f - 2f * u);
    }

    private static void DrawObject(ShapesScene scene, float scale, double degrees, int shape0, float fraction,
        Vector3 objectColour, Vector3 floorColour, Vector3 wallColour, Room room, Span<byte> rgb)
    {
        double theta = degrees * Math.PI / 180;
        float cos = (float)Math.Cos(theta), sin = (float)Math.Sin(theta);
        // Object frame = R(−θ)·world / scale; the ray direction keeps unit length (rotation only).
        var origin = ShapesScene.RotateY(ShapesScene.Eye, cos, -sin) / scale;
        var light = ShapesScene.RotateY(ShapesScene.Light, cos, -sin) / scale;
        var (x0, y0, x1, y1) = ScreenBounds(scene, shape0, scale, cos, sin);
        if (fraction > 0)
        {
            var (u0, v0, u1, v1) = ScreenBounds(scene, shape0 + 1, scale, cos, sin);
            (x0, y0, x1, y1) = (Math.Min(x0, u0), Math.Min(y0, v0), Math.Max(x1, u1), Math.Max(y1, v1));
        }
        for (int row = y0; row <= y1; row++)
            for (int col = x0; col <= x1; col++)
            {
                int p = row * ShapesImage.Width + col;
                var background = room.Colour(p, floorColour, wallColour);
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

    // Pixel rectangle (one pixel of margin) covering the projection of the shape's box, rotated and scaled into the world.
    private static (int X0, int Y0, int X1, int Y1) ScreenBounds(ShapesScene scene, int shape, float scale, float cos, float sin)
    {
        var (low, high) = ShapeGeometry.Bounds(shape);
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        for (int corner = 0; corner < 8; corner++)
        {
            var local = new Vector3((corner & 1) == 0 ? low.X : high.X, (corner & 2) == 0 ? low.Y : high.Y, (corner & 4) == 0 ? low.Z : high.Z);
            var q = scene.Project(ShapesScene.RotateY(local * scale, cos, sin));
            minX = MathF.Min(minX, q.X); maxX = MathF.Max(maxX, q.X);
            minY = MathF.Min(minY, q.Y); maxY = MathF.Max(maxY, q.Y);
        }
        return (Math.Max(0, (int)MathF.Floor(minX) - 1), Math.Max(0, (int)MathF.Floor(minY) - 1),
                Math.Min(ShapesImage.Width - 1, (int)maxX + 1), Math.Min(ShapesImage.Height - 1, (int)maxY + 1));
    }
}
