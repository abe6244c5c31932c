using System.Numerics;

namespace Disentangle.Data.Rendering;

/// <summary>Analytic ray intersections with the four 3D Shapes objects at unit scale, standing on the floor at the origin.</summary>
/// <remarks>Cube: side 1. Cylinder: radius 0.5, height 1, vertical axis. Sphere: radius 0.5. Capsule: lying along x,
/// radius 0.35, axis segment from x = −0.42 to 0.42. Rays are in the object's frame with a unit direction; each method
/// returns the nearest positive distance (or +∞) and the outward unit normal there.</remarks>
internal static class ShapeGeometry
{
    public const int Cube = 0, Cylinder = 1, Sphere = 2, Capsule = 3;
    private const float Half = 0.5f, CapsuleRadius = 0.35f, CapsuleHalfLength = 0.42f;

    /// <summary>Centre height and radius of the sphere standing in for each shape in the floor shadow.</summary>
    public static (float Height, float Radius) ShadowProxy(int shape) => shape switch
    {
        Cube => (0.5f, 0.5f),          // proxies never reach below the floor
        Cylinder => (0.5f, 0.5f),
        Sphere => (0.5f, 0.5f),
        _ => (CapsuleRadius, CapsuleRadius),
    };

    /// <summary>Axis-aligned box enclosing the shape in its own frame (for the screen rectangle).</summary>
    public static (Vector3 Low, Vector3 High) Bounds(int shape) => shape switch
    {
        Capsule => (new(-CapsuleHalfLength - CapsuleRadius, 0, -CapsuleRadius), new(CapsuleHalfLength + CapsuleRadius, 2 * CapsuleRadius, CapsuleRadius)),
        _ => (new(-Half, 0, -Half), new(Half, 1, Half)),
    };

    public static float Intersect(int shape, Vector3 o, Vector3 d, out Vector3 normal) => shape switch
    {
        Cube => IntersectCube(o, d, out normal),
        Cylinder => IntersectCylinder(o, d, out normal),
        Sphere => IntersectSphere(o, d, new Vector3(0, Half, 0), Half, out normal),
        _ => IntersectCapsule(o, d, out normal),
    };

    private static float IntersectSphere(Vector3 o, Vector3 d, Vector3 centre, float radius, out Vector3 normal)
    {
        var oc = o - centre;
        float b = Vector3.Dot(oc, d), c = Vector3.Dot(oc, oc) - radius * radius, h = b * b - c;
        normal = default;
        if (h < 0) return float.PositiveInfinity;
        float t = -b - MathF.Sqrt(h);
        if (t <= 0) return float.PositiveInfinity;
        normal = (oc + t * d) / radius;
        return t;
    }

    // Slab method on [−½, ½] × [0, 1] × [−½, ½]; the normal is the axis of the last slab entered.
    private static float IntersectCube(Vector3 o, Vector3 d, out Vector3 normal)
    {
        normal = default;
        float tNear = float.NegativeInfinity, tFar = float.PositiveInfinity;
        int axis = 0;
        float sign = 0;
        for (int a = 0; a < 3; a++)
        {
            float oa = a == 0 ? o.X : a == 1 ? o.Y - Half : o.Z;
            float da = a == 0 ? d.X : a == 1 ? d.Y : d.Z;
            if (MathF.Abs(da) < 1e-12f)
            {
                if (MathF.Abs(oa) > Half) return float.PositiveInfinity;
                continue;
            }
            float inv = 1f / da;
            float t1 = (-Half - oa) * inv, t2 = (Half - oa) * inv;
            float enter = MathF.Min(t1, t2), exit = MathF.Max(t1, t2);
            if (enter > tNear) { tNear = enter; axis = a; sign = da > 0 ? -1f : 1f; }
            tFar = MathF.Min(tFar, exit);
        }
        if (tNear > tFar || tNear <= 0) return float.PositiveInfinity;
        normal = axis == 0 ? new Vector3(sign, 0, 0) : axis == 1 ? new Vector3(0, sign, 0) : new Vector3(0, 0, sign);
        return tNear;
    }

    private static float IntersectCylinder(Vector3 o, Vector3 d, out Vector3 normal)
    {
        normal = default;
        float a = d.X * d.X + d.Z * d.Z, b = o.X * d.X + o.Z * d.Z, c = o.X * o.X + o.Z * o.Z - Half * Half;
        float h = b * b - a * c;
        if (h < 0 || a < 1e-12f) return float.PositiveInfinity;
        float t = (-b - MathF.Sqrt(h)) / a;
        float y = o.Y + t * d.Y;
        if (t > 0 && y >= 0 && y <= 1f)
        {
            normal = new Vector3((o.X + t * d.X) / Half, 0, (o.Z + t * d.Z) / Half);
            return t;
        }
        if (y > 1f && d.Y < 0)   // above the side surface: the ray may enter through the top cap
        {
            float tc = (1f - o.Y) / d.Y;
            float x = o.X + tc * d.X, z = o.Z + tc * d.Z;
            if (tc > 0 && x * x + z * z <= Half * Half)
            {
                normal = Vector3.UnitY;
                return tc;
            }
        }
        return float.PositiveInfinity;
    }

    // Capsule: points within CapsuleRadius of the segment pa–pb (after Quilez's analytic capsule intersection).
    private static float IntersectCapsule(Vector3 o, Vector3 d, out Vector3 normal)
    {
        normal = default;
        var pa = new Vector3(-CapsuleHalfLength, CapsuleRadius, 0);
        var ba = new Vector3(2 * CapsuleHalfLength, 0, 0);
        var oa = o - pa;
        float baba = Vector3.Dot(ba, ba), bard = Vector3.Dot(ba, d), baoa = Vector3.Dot(ba, oa);
        float rdoa = Vector3.Dot(d, oa), oaoa = Vector3.Dot(oa, oa);
        float qa = baba - bard * bard, qb = baba * rdoa - baoa * bard;
        float qc = baba * oaoa - baoa * baoa - CapsuleRadius * CapsuleRadius * baba;
        float h = qb * qb - qa * qc;
        if (h < 0) return float.PositiveInfinity;
        if (qa > 1e-12f)
        {
            float t = (-qb - MathF.Sqrt(h)) / qa;
            float y = baoa + t * bard;
            if (t > 0 && y > 0 && y < baba)
            {
                var p = o + t * d;
                var axisPoint = pa + (y / baba) * ba;
                normal = (p - axisPoint) / CapsuleRadius;
                return t;
            }
            var cap = y <= 0 ? pa : pa + ba;
            return IntersectSphere(o, d, cap, CapsuleRadius, out normal);
        }
        float t1 = IntersectSphere(o, d, pa, CapsuleRadius, out var n1);   // ray parallel to the axis: nearer end cap
        float t2 = IntersectSphere(o, d, pa + ba, CapsuleRadius, out var n2);
        normal = t1 <= t2 ? n1 : n2;
        return MathF.Min(t1, t2);
    }
}
