"""Writes a base pretrained by pretrain.py in Hydra's base format (libs/ml/src/pretrained/base-weights.ts:
<out>.json and <out>.bin), so Hydra's accuracy bench can fine-tune from PyTorch's base
(`npm run bench:accuracy -- --base <out>`) and tell whether Hydra's pretraining or its fine-tuning
is where the two differ.

  /usr/bin/python3 bench/torch/base_to_hydra.py --weights /tmp/hydra-pretrain/base.pt --out /tmp/torch-base
"""
import argparse
import json

import numpy as np
import torch

from train_accuracy import LABELS
from train_speed import hydra_cnn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weights", default="/tmp/hydra-pretrain/base.pt")
    parser.add_argument("--out", default="/tmp/torch-base")
    args = parser.parse_args()
    model = hydra_cnn(classes=len(LABELS))
    model.load_state_dict(torch.load(args.weights))
    convs = [layer for layer in model if isinstance(layer, torch.nn.Conv2d)]
    norms = [layer for layer in model if isinstance(layer, torch.nn.BatchNorm2d)]
    dense = next(layer for layer in model if isinstance(layer, torch.nn.Linear))
    named = []
    for block, (conv, norm) in enumerate(zip(convs, norms), start=1):
        # PyTorch's OIHW kernel is Keras' HWIO; a batch norm's weights in Keras' order: γ, β, mean, variance.
        named.append((f"block{block}_conv/0", conv.weight.detach().numpy().transpose(2, 3, 1, 0)))
        for index, tensor in enumerate([norm.weight, norm.bias, norm.running_mean, norm.running_var]):
            named.append((f"block{block}_bn/{index}", tensor.detach().numpy()))
    named.append(("classes/0", dense.weight.detach().numpy().T))
    named.append(("classes/1", dense.bias.detach().numpy()))
    description = {
        "format": "hydra-base-weights/1",
        "architecture": "hydra-cnn",
        "labels": LABELS,
        "provenance": {"data": f"PyTorch's base {args.weights} (bench/torch/pretrain.py)"},
        "weights": [{"name": name, "shape": list(array.shape), "dtype": "float32"} for name, array in named],
    }
    with open(f"{args.out}.json", "w") as file:
        json.dump(description, file, indent=2)
    with open(f"{args.out}.bin", "wb") as file:
        for _, array in named:
            file.write(np.ascontiguousarray(array, dtype="<f4").tobytes())


if __name__ == "__main__":
    main()
