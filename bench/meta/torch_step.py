"""One meta-training step in PyTorch with the same model and head as `Disentangle.Bench meta`, the SVM head solved by a
generic batched solver: accelerated projected gradient (FISTA) on the Crammer–Singer dual over the simplex, unrolled
and differentiated by autograd (as MetaOptNet does with a generic QP solver).

Usage: torch_step.py THREADS STEPS [ITERATIONS]; prints torch_step_ms=… torch_episodes_per_s=… (medians).
Dual (method.md §6, λ₁ = 0): min_β (1/(2λ₂))‖Xᵀ(Y − β)‖² − ⟨β, 1 − Y⟩, β_i ∈ Δ; W = Xᵀ(Y − β)/λ₂.
"""
import sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

threads, steps = int(sys.argv[1]), int(sys.argv[2])
iterations = int(sys.argv[3]) if len(sys.argv) > 3 else 100
torch.set_num_threads(threads)
torch.manual_seed(0)
T, N, K, Q, width, size, lambda2 = 8, 5, 5, 15, 32, 32, 10.0


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2))


backbone = nn.Sequential(block(3, width), block(width, width), block(width, width), block(width, width), nn.Flatten())
scale = nn.Parameter(torch.ones(1))
optimizer = torch.optim.SGD(list(backbone.parameters()) + [scale], lr=0.01, momentum=0.9, nesterov=True, weight_decay=5e-4)


def project_simplex(v):
    """Euclidean projection of each last-axis row onto the probability simplex (sort-based, batched)."""
    u, _ = torch.sort(v, dim=-1, descending=True)
    css = u.cumsum(-1) - 1
    k = torch.arange(1, v.shape[-1] + 1, dtype=v.dtype)
    rho = ((u - css / k) > 0).sum(-1, keepdim=True)
    theta = css.gather(-1, rho - 1) / rho
    return (v - theta).clamp(min=0)


def svm_head(xs, ys, xq):
    """xs (T, n, p), ys (T, n) → query scores (T, nq, N) by FISTA on the dual, unrolled."""
    y = F.one_hot(ys, N).to(xs.dtype)
    gram = xs @ xs.transpose(1, 2)                                     # (T, n, n)
    lipschitz = torch.linalg.matrix_norm(gram.detach(), ord=2) / lambda2  # (T,)
    step = (1 / lipschitz)[:, None, None]
    beta = y.clone(); z = beta; t = 1.0
    for _ in range(iterations):
        grad = -gram @ (y - z) / lambda2 - (1 - y)                      # ∇ of the dual objective
        new = project_simplex(z - step * grad)
        t_next = (1 + (1 + 4 * t * t) ** 0.5) / 2
        z = new + (t - 1) / t_next * (new - beta)
        beta, t = new, t_next
    w = xs.transpose(1, 2) @ (y - beta) / lambda2                      # (T, p, N)
    return xq @ w


support = torch.rand(T * N * K, 3, size, size)
query = torch.rand(T * N * Q, 3, size, size)
ys = torch.arange(N).repeat_interleave(K).repeat(T, 1)
yq = torch.arange(N).repeat_interleave(Q).repeat(T)
times = []
for s in range(steps + 2):
    start = time.perf_counter()
    xs = backbone(support).view(T, N * K, -1)
    xq = backbone(query).view(T, N * Q, -1)
    logits = scale * svm_head(xs, ys, xq).reshape(-1, N)
    loss = F.cross_entropy(logits, yq)
    optimizer.zero_grad(); loss.backward(); optimizer.step()
    if s >= 2:
        times.append((time.perf_counter() - start) * 1000)
times.sort()
ms = times[len(times) // 2]
print(f"torch_step_ms={ms:.1f} torch_episodes_per_s={T * 1000 / ms:.3f} iterations={iterations}")
