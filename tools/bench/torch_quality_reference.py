#!/usr/bin/env python3
"""PyTorch quality reference for tools/bench/bench-quality.js: trains the framework recipe's
method (SimCLR construction: two augmented views, encoder, MLP projection head, cosine /
temperature scores, symmetric InfoNCE with in-batch negatives, Adam with linear warm-up and
cosine decay) on the same Fashion-MNIST split, for a wall-clock budget, then writes the
frozen backbone features (before the head, evaluation mode) of the train and test splits.
The Node driver probes those features with @contrastive/eval's own linear probe and kNN, so
both sides are measured by one protocol.

The encoder mirrors packages/framework/src/encoders/convnet.ts: per stage `stride1` 3x3
stride-1 convolutions then one 3x3 stride-2 convolution, each conv -> BN -> ReLU when
batch_norm (conv with bias -> ReLU otherwise), global average pool; without projection the
pooled last stage is the representation. The head mirrors src/heads/mlp-head.ts. The
augmentations mirror random-resized-crop (scale, ratio 3/4-4/3, bilinear), flip (p 0.5) and
color-jitter (brightness 0.4, contrast 0.4, p 0.8), batched on tensors.

Input: --data DIR with train-images.u8 / test-images.u8 ([N, 28, 28] uint8) and
train-labels.i32 / test-labels.i32, written by the driver from the framework's split.
Output: DIR/torch-train-features.f32, DIR/torch-test-features.f32 ([N, D] float32, row-major)
and one JSON line on stdout: steps, seconds, examplesPerSecond, dim, finalLoss, threads, torch.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_augment import augment


class ConvNet(nn.Module):
    def __init__(self, channels, stride1, batch_norm):
        super().__init__()
        layers, c_in = [], 1
        for c in channels:
            for stride in [1] * stride1 + [2]:
                layers.append(nn.Conv2d(c_in, c, 3, stride=stride, padding=1, bias=not batch_norm))
                if batch_norm:
                    layers.append(nn.BatchNorm2d(c, momentum=0.1, eps=1e-5))
                layers.append(nn.ReLU())
                c_in = c
        self.features = nn.Sequential(*layers)
        self.dim = c_in

    def forward(self, x):
        return self.features(x).mean(dim=(2, 3))


class MlpHead(nn.Module):
    def __init__(self, d_in, hidden, d_out, batch_norm):
        super().__init__()
        layers = []
        for h in hidden:
            layers += [nn.Linear(d_in, h, bias=not batch_norm)]
            if batch_norm:
                layers.append(nn.BatchNorm1d(h))
            layers.append(nn.ReLU())
            d_in = h
        layers.append(nn.Linear(d_in, d_out))
        self.net = nn.Sequential(*layers)

    def forward(self, h):
        return self.net(h)


def lr_at(step, total, base, warmup):
    """Linear warm-up, then cosine to 0 over the planned steps (the framework's cosine schedule)."""
    if step < warmup:
        return base * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return base * 0.5 * (1 + math.cos(math.pi * progress))


def load(data_dir, split):
    images = np.fromfile(os.path.join(data_dir, f"{split}-images.u8"), dtype=np.uint8)
    labels = np.fromfile(os.path.join(data_dir, f"{split}-labels.i32"), dtype=np.int32)
    return torch.from_numpy(images.reshape(-1, 1, 28, 28).astype(np.float32) / 255.0), labels


@torch.no_grad()
def features(encoder, x, batch=1024):
    encoder.eval()
    return torch.cat([encoder(x[i:i + batch]) for i in range(0, x.shape[0], batch)]).numpy().astype(np.float32)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--seconds", type=float, required=True, help="wall-clock training budget")
    p.add_argument("--planned-steps", type=int, required=True, help="steps the lr schedule is laid out over")
    p.add_argument("--config", required=True, help="JSON: the recipe's resolved encoder, head, score, augment, optimizer, schedule, batch")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    cfg = json.loads(a.config)
    torch.manual_seed(a.seed)
    threads = int(os.environ.get("CONTRASTIVE_THREADS", os.cpu_count() or 1))
    torch.set_num_threads(threads)

    x_train, _ = load(a.data, "train")
    x_test, _ = load(a.data, "test")
    enc = cfg["encoder"]
    encoder = ConvNet(enc["channels"], enc.get("stride1Convs", 0), enc.get("batchNorm", False))
    head_cfg = cfg["head"]
    head = MlpHead(encoder.dim, head_cfg["hiddenDims"], head_cfg["outputDim"], head_cfg.get("batchNorm", False))
    params = list(encoder.parameters()) + list(head.parameters())
    opt_cfg = cfg["optimizer"]
    opt = torch.optim.AdamW(params, lr=opt_cfg["lr"], weight_decay=opt_cfg.get("weightDecay", 0.0)) \
        if opt_cfg.get("weightDecay", 0.0) > 0 else torch.optim.Adam(params, lr=opt_cfg["lr"])
    aug = cfg["augment"]
    temperature = cfg["temperature"]
    batch = cfg["batchSize"]
    warmup = cfg.get("warmupSteps", 0)

    n = x_train.shape[0]
    started = time.perf_counter()
    step, loss_value = 0, float("nan")
    perm = torch.randperm(n)
    cursor = 0
    encoder.train()
    head.train()
    while time.perf_counter() - started < a.seconds and step < a.planned_steps:
        if cursor + batch > n:
            perm, cursor = torch.randperm(n), 0
        x = x_train[perm[cursor:cursor + batch]]
        cursor += batch
        for group in opt.param_groups:
            group["lr"] = lr_at(step, a.planned_steps, opt_cfg["lr"], warmup)
        views = torch.cat([augment(x, aug["scale"], aug["brightness"], aug["contrast"], aug["p"]) for _ in range(2)])
        z = F.normalize(head(encoder(views)), dim=1)
        za, zp = z[:batch], z[batch:]
        logits = za @ zp.T / temperature
        target = torch.arange(batch)
        loss = 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        loss_value = float(loss.detach())
        step += 1
    seconds = time.perf_counter() - started

    f_train = features(encoder, x_train)
    f_test = features(encoder, x_test)
    f_train.tofile(os.path.join(a.data, "torch-train-features.f32"))
    f_test.tofile(os.path.join(a.data, "torch-test-features.f32"))
    print(json.dumps({
        "steps": step, "seconds": seconds, "examplesPerSecond": step * batch / max(seconds, 1e-9), "dim": int(f_train.shape[1]),
        "finalLoss": loss_value, "threads": threads, "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
