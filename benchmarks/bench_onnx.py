"""ONNX models two ways: onnx2torch (what the app does) against onnxruntime with the target layer
exposed as an extra graph output.

ResNet-18 with random weights (seed 0) is exported in this process, then Score-CAM (`paper`,
`black`, the N highest-variance maps of `layer4`, batch 32) runs on scikit-image's chelsea:

- `torch`: the torchvision network itself, the baseline of every ratio and correlation;
- `onnx2torch`: the ONNX file converted by engine/models/onnx_models.py, through the engine (fp32
and
  the engine's default precision);
- `onnxruntime`: one session whose outputs are the logits and layer4's ReLU, the masked inputs
  built as the engine builds them, scored in batches of 32 by the session (fp32: its CPU
  provider has no bf16 kernels for these operators).

    PYTHONPATH=. python benchmarks/bench_onnx.py [--maps 128] [--repeat 2]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from skimage import data

from scorecam_gui.engine.explainer import Explainer
from scorecam_gui.engine.imaging import resize_for_network
from scorecam_gui.engine.models import registry


def export(path: Path) -> torch.nn.Module:
    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, (torch.randn(1, 3, 224, 224),), str(path), dynamo=False,
            input_names=["input"], output_names=["logits"],
            dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
        )  # fmt: skip
    return model


def ort_session(path: Path) -> tuple[ort.InferenceSession, str]:
    proto = onnx.load(str(path))
    layer = [n for n in proto.graph.node if n.op_type == "Relu"][-1].output[0]
    extra = onnx.helper.make_tensor_value_info(layer, onnx.TensorProto.FLOAT, None)
    proto.graph.output.append(extra)
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    return session, layer


def ort_scorecam(session: ort.InferenceSession, rgb: np.ndarray, maps: int) -> np.ndarray:
    """Score-CAM as the engine computes it (`paper`, `black`), every forward pass in onnxruntime."""
    mean = torch.tensor((0.485, 0.456, 0.406)).view(3, 1, 1)
    std = torch.tensor((0.229, 0.224, 0.225)).view(3, 1, 1)
    x = torch.from_numpy(rgb).permute(2, 0, 1).float() / 255
    logits, acts = session.run(None, {"input": ((x - mean) / std)[None].numpy()})
    c = int(logits[0].argmax())
    a = torch.from_numpy(acts[0])
    flat = a.flatten(1)
    chosen = flat.var(1).topk(maps).indices
    up = F.interpolate(a[chosen][:, None], size=224, mode="bilinear", align_corners=False)[:, 0]
    lo, hi = up.flatten(1).amin(1), up.flatten(1).amax(1)
    masks = ((up - lo[:, None, None]) / (hi - lo).clamp_min(1e-12)[:, None, None])[:, None]
    scores = []
    for start in range(0, maps, 32):
        batch = (masks[start : start + 32] * x - mean) / std
        scores.append(torch.from_numpy(session.run(["logits"], {"input": batch.numpy()})[0][:, c]))
    w = torch.softmax(torch.cat(scores), 0)
    cam = (w[:, None, None] * up).sum(0).clamp_min(0)
    return ((cam - cam.min()) / (cam.max() - cam.min())).numpy()


def timed(fn: Callable[[], np.ndarray]) -> tuple[float, np.ndarray]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--maps", type=int, default=128)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    rgb = resize_for_network(Image.fromarray(data.chelsea()), 224)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "resnet18.onnx"
        model = export(path)
        t0 = time.perf_counter()
        converted = registry.load_network(str(path))
        convert_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        session, layer = ort_session(path)
        session_s = time.perf_counter() - t0
        reference = registry.load_network("resnet18", random_init=True)
        reference.model.load_state_dict(model.state_dict())
        explainers = {
            "torch fp32": Explainer(reference, "cpu", "fp32", batch_size=32),
            "onnx2torch fp32": Explainer(converted, "cpu", "fp32", batch_size=32),
            "torch default": Explainer(reference, "cpu", "auto", batch_size=32),
            "onnx2torch default": Explainer(converted, "cpu", "auto", batch_size=32),
        }
        runs: dict[str, Callable[[], np.ndarray]] = {
            name: (lambda e=e: e.explain(rgb, approximate=args.maps).saliency)
            for name, e in explainers.items()
        }
        runs["onnxruntime fp32"] = lambda: ort_scorecam(session, rgb, args.maps)
        for fn in runs.values():  # warm-up: first-call allocations, oneDNN primitive caches
            fn()
        times: dict[str, list[float]] = {name: [] for name in runs}
        maps: dict[str, np.ndarray] = {}
        for _ in range(args.repeat):
            for name, fn in runs.items():
                seconds, maps[name] = timed(fn)
                times[name].append(seconds)
    base = statistics.median(times["torch fp32"])
    print(f"ResNet-18 (random, seed 0), chelsea, {args.maps} maps of layer4 ({layer}), batch 32")
    print(f"setup: onnx2torch conversion {convert_s:.2f} s, onnxruntime session {session_s:.2f} s")
    print(f"{'way':<20} {'seconds':>8} {'vs torch fp32':>14} {'map corr':>9}")
    for name, ts in times.items():
        med = statistics.median(ts)
        corr = np.corrcoef(maps[name].ravel(), maps["torch fp32"].ravel())[0, 1]
        print(f"{name:<20} {med:>8.2f} {med / base:>13.2f}x {corr:>9.5f}")


if __name__ == "__main__":
    main()
