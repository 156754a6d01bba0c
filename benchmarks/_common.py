"""What the benchmarks share: the CPU's name for their headers, the photos they run on
(scikit-image's samples, imported when asked for so that a benchmark's `--help` stays quick), and
the busy processes that stand for a laptop's other work.

Imported as `_common` by the scripts next to it (`python benchmarks/bench_x.py` puts this
folder first on sys.path). The engine's CPU description with its flags is
scorecam_gui.engine.runtime.device.cpu_description (it needs torch).
"""

from __future__ import annotations

import platform
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image


@dataclass(frozen=True)
class Case:
    """A benchmark case: a network on one photo (bench_scorecam, bench_progressive)."""

    key: str
    network: str
    photo: str  # a scikit-image sample: chelsea, coffee, ...
    random_seed: int | None = None  # random weights with this seed (None: the real weights)

    @property
    def title(self) -> str:
        weights = "real weights" if self.random_seed is None else f"random, seed {self.random_seed}"
        return f"{self.network} ({weights}) on {self.photo}"


# The four scikit-image photos the project's real-photo checks use.
PHOTOS = ("chelsea", "coffee", "astronaut", "rocket")


def cpu_model(unknown: str | None = None) -> str:
    """The CPU's model name from /proc/cpuinfo; elsewhere `unknown`, by default what Python's
    platform module says (the processor, else the machine type)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or unknown or platform.machine()


@contextmanager
def spinners(n: int) -> Iterator[None]:
    """`n` other processes spinning on the CPU meanwhile (`python -c "while True: pass"`), killed
    by their process id after."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        time.sleep(0.5 if n else 0)  # let them get going
        yield
    finally:
        for p in procs:
            p.kill()
            p.wait()


def sample_photo(name: str) -> Image.Image:
    """A scikit-image sample photo (chelsea, coffee, astronaut, rocket...) as an RGB image."""
    from PIL import Image
    from skimage import data

    return Image.fromarray(getattr(data, name)())


def make_photos(folder: Path, count: int) -> list[str]:
    """`count` JPEGs (quality 90) in `folder`: random crops (60-100 % a side, seeded) of the four
    PHOTOS in turn, every other one mirrored, so decoding costs what a camera folder costs."""
    import numpy as np
    from PIL import ImageOps

    sources = [sample_photo(name) for name in PHOTOS]
    rng = np.random.default_rng(0)
    paths = []
    for i in range(count):
        img = sources[i % len(sources)]
        w, h = img.size
        cw, ch = int(w * rng.uniform(0.6, 1.0)), int(h * rng.uniform(0.6, 1.0))
        x, y = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
        img = img.crop((x, y, x + cw, y + ch))
        if i % 2:
            img = ImageOps.mirror(img)
        path = folder / f"photo-{i:04d}.jpg"
        img.save(path, quality=90)
        paths.append(str(path))
    return paths
