"""Batched tensor versions of the framework's default augmentations, shared by the PyTorch
references (torch_reference.py for speed, torch_quality_reference.py for quality): random
resized crop (area `scale`, ratio 3/4-4/3, bilinear) with a horizontal flip (p 0.5), then
brightness/contrast jitter (packages/framework/src/augment/color-jitter.ts) with probability p.
"""
import math

import torch
import torch.nn.functional as F


def augment(x, scale=(0.3, 1.0), brightness=0.4, contrast=0.4, jitter_p=0.8):
    """One augmented view of a batch [B, 1, H, W] in [0, 1]."""
    b = x.shape[0]
    area = torch.empty(b).uniform_(scale[0], scale[1])
    ratio = torch.exp(torch.empty(b).uniform_(math.log(3 / 4), math.log(4 / 3)))
    w = torch.sqrt(area * ratio).clamp(max=1.0)
    h = torch.sqrt(area / ratio).clamp(max=1.0)
    cx = (torch.rand(b) * 2 - 1) * (1 - w)
    cy = (torch.rand(b) * 2 - 1) * (1 - h)
    flip = torch.where(torch.rand(b) < 0.5, -1.0, 1.0)
    theta = torch.zeros(b, 2, 3)
    theta[:, 0, 0] = w * flip
    theta[:, 0, 2] = cx
    theta[:, 1, 1] = h
    theta[:, 1, 2] = cy
    grid = F.affine_grid(theta, list(x.shape), align_corners=True)
    v = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True).clamp(0, 1)
    apply = (torch.rand(b) < jitter_p).view(b, 1, 1, 1)
    bright = (v + torch.empty(b, 1, 1, 1).uniform_(-brightness, brightness)).clamp(0, 1)
    mean = bright.mean(dim=(2, 3), keepdim=True)
    factor = torch.empty(b, 1, 1, 1).uniform_(max(0.0, 1 - contrast), 1 + contrast)
    jittered = ((bright - mean) * factor + mean).clamp(0, 1)
    return torch.where(apply, jittered, v)
