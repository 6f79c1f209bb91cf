#!/usr/bin/env python3
"""PyTorch reference for tools/bench/bench-train-step.js: the framework's baseline training
step (two augmented views, the same encoder, cosine/temperature scores, symmetric InfoNCE,
Adam) on the same machine, so the benchmark can print a ratio from one run.

The models mirror packages/framework/src/encoders (convnet: 3x3 stride-2 convs with bias and
ReLU, global average pool, linear; resnet-mini: 3x3 stem + BN, one basic block per stage,
1x1 projection shortcuts, global average pool, linear). The augmentations mirror the
baseline's defaults, batched on tensors: random resized crop (scale 0.3-1, ratio 3/4-4/3,
bilinear), horizontal flip (p 0.5), brightness/contrast jitter (0.4, p 0.8).

Prints one JSON line: {"encoder", "batch", "steps", "stepSeconds", "medianStepSeconds",
"examplesPerSecond" (batch / median step time), "threads", "torch"}.
Usage: python3 torch_reference.py --encoder convnet --batch 256 --steps 10 --warmup 2
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_augment import augment


class ConvNet(nn.Module):
    def __init__(self, channels=(32, 64, 128), dim=128):
        super().__init__()
        layers, c_in = [], 1
        for c in channels:
            layers += [nn.Conv2d(c_in, c, 3, stride=2, padding=1), nn.ReLU()]
            c_in = c
        self.features = nn.Sequential(*layers)
        self.proj = nn.Linear(c_in, dim)

    def forward(self, x):
        return self.proj(self.features(x).mean(dim=(2, 3)))


class BasicBlock(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.shortcut = None
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        return F.relu(h + (self.shortcut(x) if self.shortcut is not None else x))


class ResNetMini(nn.Module):
    def __init__(self, stem=32, widths=(32, 64, 128), dim=128):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, stem, 3, 1, 1, bias=False), nn.BatchNorm2d(stem), nn.ReLU())
        blocks, c_in = [], stem
        for s, w in enumerate(widths):
            blocks.append(BasicBlock(c_in, w, 2 if s > 0 else 1))
            c_in = w
        self.blocks = nn.Sequential(*blocks)
        self.proj = nn.Linear(c_in, dim)

    def forward(self, x):
        return self.proj(self.blocks(self.stem(x)).mean(dim=(2, 3)))


def infonce_step(model, opt, x, temperature=0.1):
    b = x.shape[0]
    z = model(torch.cat([augment(x), augment(x)]))
    za, zp = F.normalize(z[:b], dim=1), F.normalize(z[b:], dim=1)
    target = torch.arange(b)
    loss = 0.5 * (F.cross_entropy(za @ zp.T / temperature, target) + F.cross_entropy(zp @ za.T / temperature, target))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--encoder", choices=["convnet", "resnet-mini"], default="convnet")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=0, help="0: every core")
    a = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(a.threads or os.cpu_count())
    model = ConvNet() if a.encoder == "convnet" else ResNetMini()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    data = torch.rand(a.batch * 8, 1, 28, 28)
    for i in range(a.warmup):
        infonce_step(model, opt, data[: a.batch]).item()
    times = []
    for i in range(a.steps):
        j = (i % 8) * a.batch
        start = time.perf_counter()
        infonce_step(model, opt, data[j : j + a.batch]).item()  # read the loss, as the trainer does
        times.append(time.perf_counter() - start)
    median = sorted(times)[len(times) // 2]
    print(json.dumps({
        "encoder": a.encoder, "batch": a.batch, "steps": a.steps, "stepSeconds": times, "medianStepSeconds": median,
        "examplesPerSecond": a.batch / median, "threads": torch.get_num_threads(), "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
