"""PyTorch's side of bench/src/torch-ratio.bench.ts: hydra-cnn (libs/ml/src/models/hydra-cnn.ts,
layer for layer) trained with Adam on a fixed random batch, timed on request.

Reads one line per round from stdin, "steps N", and answers with one JSON line holding the
milliseconds of each of N training steps, so that the caller can interleave rounds with Hydra's.
"""
import argparse
import json
import sys
import time

import torch
from torch import nn


def hydra_cnn(classes: int, filters=(16, 32, 48, 64)) -> nn.Module:
    """Conv 3×3 'same' without bias → batch norm → ReLU (→ 2×2 max pool but after the last block),
    then global average pooling and a dense softmax layer: the same layers and shapes as Hydra's.
    Keras' batch-norm defaults (epsilon 1e-3) and Hydra's momentum 0.9 (PyTorch counts it as 0.1)."""
    layers = []
    channels = 3
    for index, count in enumerate(filters):
        layers += [
            nn.Conv2d(channels, count, 3, padding=1, bias=False),
            nn.BatchNorm2d(count, eps=1e-3, momentum=0.1),
            nn.ReLU(),
        ]
        if index < len(filters) - 1:
            layers.append(nn.MaxPool2d(2))
        channels = count
    # The softmax lives in the loss (cross entropy on logits), as PyTorch users write it.
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, classes)]
    return nn.Sequential(*layers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--height", type=int, default=72)
    parser.add_argument("--width", type=int, default=96)
    parser.add_argument("--threads", type=int, default=0, help="0: PyTorch's default")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = hydra_cnn(classes=3)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_function = nn.CrossEntropyLoss()
    batch = torch.rand(args.batch, 3, args.height, args.width)
    targets = torch.arange(args.batch) % 3

    def step() -> float:
        started = time.perf_counter()
        optimizer.zero_grad()
        loss = loss_function(model(batch), targets)
        loss.backward()
        optimizer.step()
        loss.item()  # the read that ends Hydra's step too
        return (time.perf_counter() - started) * 1000

    for _ in range(3):
        step()
    print(json.dumps({"ready": True, "threads": torch.get_num_threads(), "torch": torch.__version__}), flush=True)
    for line in sys.stdin:
        command, count = line.split()
        if command != "steps":
            raise SystemExit(f'unknown command "{command}" (expected "steps N")')
        print(json.dumps({"stepMs": [step() for _ in range(int(count))]}), flush=True)


if __name__ == "__main__":
    main()
