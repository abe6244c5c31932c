"""PyTorch peer of one bilevel training step (method.md §3, Eq. 4), for `bash bench/run train-step`.

The same step as `disentangle train --method inner-lasso` with the reference configuration: ConvEncoder on 8 tasks x 50
images (3x64x64, inner and outer on the same samples), per-task Lasso (lambda = 0.3 lambda_max, gradient stopped through
lambda_max) solved by cyclic coordinate descent to a relative duality gap, batched over tasks with torch ops, the
hypergradient by implicit differentiation on the support (|S|x|S| solve), MSE outer loss, Adam lr 1e-3.
Prints one line: `torch_step_ms=<median>`.
"""
import sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 10
torch.manual_seed(0)


class SamePadConv(nn.Conv2d):
    """TensorFlow 'SAME' padding (asymmetric for stride 2), as the reference's JAX/Flax encoder."""

    def forward(self, x):
        h, w = x.shape[-2:]
        k, s = self.kernel_size[0], self.stride[0]
        ph = max((-(-h // s) - 1) * s + k - h, 0)
        pw = max((-(-w // s) - 1) * s + k - w, 0)
        x = F.pad(x, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))
        return super().forward(x)


encoder = nn.Sequential(
    SamePadConv(3, 32, 4, 2), nn.ReLU(), SamePadConv(32, 32, 4, 2), nn.ReLU(),
    SamePadConv(32, 64, 2, 2), nn.ReLU(), SamePadConv(64, 64, 2, 2), nn.ReLU(),
    nn.Flatten(), nn.Linear(4 * 4 * 64, 256), nn.ReLU(), nn.Linear(256, 6),
    nn.BatchNorm1d(6, affine=False, momentum=0.1))
optimizer = torch.optim.Adam(encoder.parameters(), lr=1e-3)


def lasso_cd(x, y, lam, tol=1e-8, max_epochs=1000):
    """Batched Lasso: x (T,n,m), y (T,n), lam (T,). min (1/2n)|y - xw|^2 + lam |w|_1 by cyclic CD with a gap stop."""
    t, n, m = x.shape
    w = torch.zeros(t, m, dtype=x.dtype)
    r = y.clone()
    lipschitz = (x * x).sum(1) / n
    ynorm2 = (y * y).sum(1) / (2 * n)
    for epoch in range(max_epochs):
        for j in range(m):
            xj = x[:, :, j]
            old = w[:, j].clone()
            z = old + (xj * r).sum(1) / (n * lipschitz[:, j])
            new = torch.sign(z) * torch.clamp(z.abs() - lam / lipschitz[:, j], min=0)
            w[:, j] = new
            r -= xj * (new - old)[:, None]
        if epoch % 10 == 0:
            xtr = torch.einsum('tnm,tn->tm', x, r)
            scale = torch.clamp(xtr.abs().amax(1) / (n * lam), min=1.0)
            theta = r / (n * lam[:, None] * scale[:, None])
            primal = (r * r).sum(1) / (2 * n) + lam * w.abs().sum(1)
            dual = (y * y).sum(1) / (2 * n) - (n * lam * lam / 2) * ((y / (n * lam[:, None]) - theta) ** 2).sum(1)
            if bool(((primal - dual) <= tol * ynorm2).all()):
                break
    return w


class LassoHead(torch.autograd.Function):
    """Returns predictions X w*(X) with w* the Lasso solution; backward by implicit differentiation on the support."""

    @staticmethod
    def forward(ctx, x, y, ratio):
        n = x.shape[1]
        xd, yd = x.double(), y.double()
        lam = torch.einsum('tnm,tn->tm', xd, yd).abs().amax(1) / n * ratio
        w = lasso_cd(xd, yd, lam)
        ctx.save_for_backward(xd, yd, w)
        return torch.einsum('tnm,tm->tn', xd, w).to(x.dtype)

    @staticmethod
    def backward(ctx, grad_pred):
        xd, yd, w = ctx.saved_tensors
        t, n, m = xd.shape
        g_pred = grad_pred.double()
        dx = torch.einsum('tn,tm->tnm', g_pred, w)           # direct term: d(Xw)/dX
        gw = torch.einsum('tnm,tn->tm', xd, g_pred)           # dL/dw
        for i in range(t):
            s = (w[i] != 0).nonzero().flatten()
            if s.numel() == 0:
                continue
            xs = xd[i][:, s]
            u = torch.linalg.solve(xs.T @ xs / n, -gw[i, s])
            resid = xs @ w[i, s] - yd[i]
            dx[i][:, s] += (torch.outer(resid, u) + torch.outer(xs @ u, w[i, s])) / n
        return dx.to(grad_pred.dtype), None, None


images = torch.rand(400, 3, 64, 64)
targets = torch.randn(8, 50)


def step():
    optimizer.zero_grad(set_to_none=True)
    features = encoder(images).view(8, 50, 6)
    predictions = LassoHead.apply(features, targets, 0.3)
    loss = ((predictions - targets) ** 2).mean()
    loss.backward()
    optimizer.step()
    return float(loss)


step()  # warm-up
times = []
for _ in range(repeats):
    start = time.perf_counter()
    step()
    times.append(time.perf_counter() - start)
times.sort()
print(f"torch_step_ms={1000 * times[len(times) // 2]:.2f}")
