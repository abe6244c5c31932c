"""PyTorch peer of EncoderStepBenchmark: one ConvEncoder training step (forward, MSE, backward, Adam) on 400
images 3x64x64, float32, 2 threads. For 64x64 inputs TensorFlow "SAME" padding equals symmetric padding 1 for the
k4 s2 convolutions and 0 for the k2 s2 ones. Prints torch_ms=<median step time>."""
import sys, time
import torch
import torch.nn as nn

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
batch = int(sys.argv[3]) if len(sys.argv) > 3 else 400
torch.set_num_threads(threads)
torch.manual_seed(42)
model = nn.Sequential(
    nn.Conv2d(3, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 32, 4, 2, 1), nn.ReLU(),
    nn.Conv2d(32, 64, 2, 2, 0), nn.ReLU(), nn.Conv2d(64, 64, 2, 2, 0), nn.ReLU(),
    nn.Flatten(), nn.Linear(1024, 256), nn.ReLU(), nn.Linear(256, 6), nn.BatchNorm1d(6, affine=False))
images = torch.rand(batch, 3, 64, 64)
targets = torch.randn(batch, 6)
adam = torch.optim.Adam(model.parameters(), lr=1e-3)
times = []
for step in range(steps + 2):
    t0 = time.perf_counter()
    adam.zero_grad(set_to_none=True)
    loss = nn.functional.mse_loss(model(images), targets)
    loss.backward()
    adam.step()
    if step >= 2:
        times.append((time.perf_counter() - t0) * 1e3)
times.sort()
print(f"torch_ms={times[len(times) // 2]:.1f}")
