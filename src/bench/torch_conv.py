"""PyTorch (CPU) reference for the benchmark's conv step: the same model, batch and optimizer as
BENCH_MODELS[0] in models.ts. Prints one JSON line; run by main.ts when torch is importable."""
import json
import os
import sys
import time

import torch
from torch import nn


def main() -> None:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    # All cores, as a user would run it (torch's default may use fewer): the stricter comparison.
    torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count() or 1)
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10),
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(32, 3, 32, 32)
    y = torch.randint(0, 10, (32,))

    def step() -> None:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        loss.item()

    for _ in range(10):  # warm-up, as the JS harness does
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    # Median and min, as the JS harness reports: robust to other processes on the cores.
    print(json.dumps({"msPerStep": times[len(times) // 2], "minMs": times[0],
                      "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
