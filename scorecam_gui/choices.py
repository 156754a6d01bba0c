"""The values the engine accepts for its options, with their help texts; torch-free.

The engine validates against these and the command line and the GUI offer them, so `scorecam
--help` needs no torch and no copy can drift from what the engine takes.
"""

from __future__ import annotations

WEIGHTINGS: tuple[str, ...] = ("paper", "matlab", "reference")
WEIGHTING_HELP = {
    "paper": "Algorithm 1 of the paper (pytorch-grad-cam, torch-cam): softmax over logits",
    "matlab": "The MATLAB example, line for line: softmax over probabilities, normalised masks",
    "reference": "The authors' released code: the probabilities themselves are the weights",
}
FILLS: tuple[str, ...] = ("black", "mean")
FILL_HELP = {
    "black": "Mask the photo's pixels, masked-out parts are black (the MATLAB example)",
    "mean": "Mask the normalised input, masked-out parts are the dataset mean (the paper's code)",
}
DEVICES: tuple[str, ...] = ("auto", "cpu", "cuda", "mps")
PRECISIONS: tuple[str, ...] = ("auto", "fp32", "bf16", "fp16", "int8")
# INT8 is an approximation the user names (engine/runtime/int8.py): OpenVINO with NNCF only.
INT8 = "int8"
PRECISION_HELP = {
    "auto": "A 16-bit format only where it was measured to be faster and to give the same map",
    "fp32": "Exact: the map every other precision is measured against",
    "bf16": "16 bits: faster on processors that have it natively (and on GPUs)",
    "fp16": "16 bits on NVIDIA and Apple GPUs",
    "int8": "Fastest on the processor, but approximate: the map can differ from the exact one, "
    "and each run says how close it came (OpenVINO with NNCF)",
}
# What runs the masked passes (engine/runtime/inference.py): torch anywhere, OpenVINO on the CPU.
BACKENDS: tuple[str, ...] = ("auto", "torch", "openvino")
BACKEND_HELP = {
    "auto": "OpenVINO on the CPU where it is installed and gives the same map, else PyTorch",
    "torch": "PyTorch (NVIDIA and Apple GPUs, any CPU)",
    "openvino": "OpenVINO (CPU only; faster on Intel and AMD CPUs)",
}
# The explanation methods' names: engine/methods/catalog.py (torch-free too).
# Faithfulness metrics (engine/faithfulness/metrics.py)
DEFAULT_STEPS = 112  # 448 pixels a step at 224 x 224 (RISE takes 224: twice the passes)
INSERTION_STARTS: tuple[str, ...] = ("blur", "black")
