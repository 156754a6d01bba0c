"""Issue 7 in the window: whatever is dropped, imported, exported or cancelled, the window keeps
working, says in one plain message what went wrong (naming the file), and keeps what it showed.

Offscreen, with the real engine; every explanation uses EfficientNet-Lite0's `_blocks.0` (16 maps)
or SqueezeNet's 16-map layer, so that each test takes about a second on a 2-core CPU. Nothing is
downloaded: the second network comes from the window's network-loader hook.
"""

from __future__ import annotations

import errno
import io
import os
import struct
import time
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
skimage_data = pytest.importorskip("skimage.data")

import torch  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtWidgets import QDialog, QMessageBox  # noqa: E402

from scorecam_gui.app.jobs import Download, NetworkReady, Options, Stage  # noqa: E402
from scorecam_gui.engine import atomicio, imaging  # noqa: E402
from scorecam_gui.engine.explainer import Explainer  # noqa: E402
from scorecam_gui.engine.models.efficientnet_lite import bundled_weights_path  # noqa: E402
from scorecam_gui.engine.models.registry import load_network  # noqa: E402
from scorecam_gui.engine.models.types import Network, WeightsError  # noqa: E402
from scorecam_gui.engine.progress import Progress  # noqa: E402
from scorecam_gui.gui.dialogs.importweights import ImportWeightsDialog  # noqa: E402
from scorecam_gui.gui.window.export import ExportDialog  # noqa: E402
from scorecam_gui.gui.window.settings import Settings  # noqa: E402
from scorecam_gui.gui.window.window import MainWindow  # noqa: E402
from tests.helpers.window import SMALL_LAYER, TIMEOUT_MS, drop, explain_by_drop  # noqa: E402

SQUEEZE_LAYER = "features.3.squeeze_activation"  # 16 maps


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread() -> Iterator[None]:
    """These tests check behaviour, not speed; on a shared 2-core machine torch's two threads
    wait on each other (several times slower than one), so one thread keeps the file quick."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("photos")
    paths = {}
    for name in ("chelsea", "coffee"):
        paths[name] = folder / f"{name}.png"
        Image.fromarray(getattr(skimage_data, name)()).save(paths[name])
    return paths


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings (tests/conftest.py), with SqueezeNet's small layer too."""
    settings.set_layer("squeezenet1_1", SQUEEZE_LAYER)
    return settings


def _test_loader(
    name: str, weights_file: str | None = None, labels_file: str | None = None, **kwargs: object
) -> Network:
    """The window's loader hook: SqueezeNet with random weights instead of a download."""
    if name == "squeezenet1_1" and weights_file is None:
        return load_network(name, random_init=True)
    return load_network(name, weights_file, labels_file, **kwargs)  # type: ignore[arg-type]


# -- what is on screen -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Screen:
    """What a user sees of a finished explanation, as the very objects shown."""

    shown: object
    network: object
    photo: object
    saliency: object
    overlay: object
    classes: tuple[int, ...]
    heading: str
    strip_key: str | None

    @classmethod
    def of(cls, window: MainWindow) -> Screen:
        return cls(
            window.state.shown,
            window.state.network,
            window.panels.canvas.photo(),
            window.panels.canvas.saliency(),
            window.panels.canvas.overlay(),
            tuple(window.panels.prediction.shown_classes()),
            window.panels.canvas.heading.text(),
            window.panels.strip.current_key(),
        )

    def assert_still_shown(self, window: MainWindow) -> None:
        now = Screen.of(window)
        # Identity, not equality: the same arrays stay on screen, nothing was rebuilt.
        assert now.shown is self.shown and self.shown is not None
        assert now.network is self.network
        assert now.photo is self.photo and now.saliency is self.saliency
        assert now.overlay is self.overlay
        assert now == self


def wait_idle(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.runner.is_busy(), timeout=TIMEOUT_MS)


def one_message(window: MainWindow, name: str) -> str:
    """One line in one place (the banner; the status bar does not repeat it), naming the file."""
    text = window.panels.canvas.banner.text()
    assert window.panels.canvas.banner.isVisible()
    assert window.panels.status_text() == ""
    assert name in text and "\n" not in text and "Traceback" not in text
    return text


# -- files -----------------------------------------------------------------------------------------
def _encoded(image: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **params)
    return buf.getvalue()


def _noise(width: int, height: int, mode: str = "RGB") -> Image.Image:
    rng = np.random.default_rng(7)
    channels = {"RGB": 3, "RGBA": 4}[mode]
    return Image.fromarray(rng.integers(0, 256, (height, width, channels), dtype=np.uint8), mode)


def _png_claiming(width: int, height: int) -> bytes:
    """A 1x1 PNG whose header (with a valid CRC) claims another size: a decompression bomb."""
    data = bytearray(_encoded(Image.new("RGB", (1, 1)), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _folder(folder: Path) -> Path:
    path = folder / "holiday photos"
    path.mkdir()
    Image.new("RGB", (8, 8)).save(path / "inside.png")
    return path


def _unreadable(folder: Path) -> Path:
    path = _write("locked.png", _encoded(_noise(32, 32), "PNG"))(folder)
    path.chmod(0)
    return path


# name: (make it in a folder, what the message says)
BAD_FILES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "empty": (_write("empty.jpg", b""), "empty file"),
    "text named .jpg": (_write("notes.jpg", b"Shopping list: milk, tea\n" * 40), "not an image"),
    "truncated PNG": (
        _write("cut.png", _encoded(_noise(64, 64), "PNG")[:-300]),
        "truncated or corrupt",
    ),
    "truncated JPEG": (
        _write("cut.jpg", _encoded(_noise(64, 64), "JPEG")[:600]),
        "truncated or corrupt",
    ),
    "decompression bomb": (_write("bomb.png", _png_claiming(30_000, 30_000)), "image too large"),
    "folder": (_folder, "is a folder"),
    "missing": (lambda folder: folder / "gone.png", "not found"),
    "no read permission": (_unreadable, "permission denied"),
}


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(k, marks=pytest.mark.file_permissions) if k == "no read permission" else k
        for k in BAD_FILES
    ],
)
def test_bad_file_dropped_keeps_the_shown_explanation(qtbot, make_window, photos, tmp_path, kind):
    make, reason = BAD_FILES[kind]
    bad = make(tmp_path)
    if kind == "no read permission" and os.access(bad, os.R_OK):
        pytest.skip("running as root: the file is readable anyway")
    window = make_window()
    explain_by_drop(qtbot, window, photos["chelsea"])
    before = Screen.of(window)
    failed: list[str] = []
    window.jobFailed.connect(failed.append)
    with qtbot.assertNotEmitted(window.explanationShown, wait=0):
        drop(window, [bad])
        wait_idle(qtbot, window)
        qtbot.wait(50)  # let the last queued signals in
    text = one_message(window, bad.name)
    assert reason in text
    assert failed in ([], [text])  # refused at the drop, or by the worker: one message
    before.assert_still_shown(window)
    assert str(bad.resolve()) not in window.panels.strip.photo_keys()
    assert not window.panels.progress.isVisible()


@dataclass(frozen=True)
class OddImage:
    name: str
    image: Callable[[], Image.Image]
    params: dict[str, object]


def _gif_frames() -> Image.Image:
    frames = [Image.new("RGB", (48, 40), colour) for colour in ("red", "green", "blue")]
    frames[0].info["frames"] = frames[1:]
    return frames[0]


ODD_IMAGES = {
    "1x1": OddImage("dot.png", lambda: Image.new("RGB", (1, 1), (200, 30, 30)), {}),
    "16-bit grey": OddImage(
        "grey16.png",
        lambda: Image.fromarray(np.linspace(0, 65535, 60 * 80, dtype=np.uint16).reshape(60, 80)),
        {},
    ),
    "RGBA": OddImage("alpha.png", lambda: _noise(70, 50, "RGBA"), {}),
    "animated GIF": OddImage("anim.gif", _gif_frames, {"save_all": True, "duration": 100}),
    "spaces and non-ASCII": OddImage("my café — Ärger 猫 photo.png", lambda: _noise(40, 30), {}),
}


@pytest.mark.parametrize("kind", list(ODD_IMAGES))
def test_odd_but_good_image_is_explained(qtbot, make_window, tmp_path, kind):
    odd = ODD_IMAGES[kind]
    image = odd.image()
    params = dict(odd.params)
    if "frames" in image.info:
        params["append_images"] = image.info.pop("frames")
    path = tmp_path / odd.name
    image.save(path, **params)
    window = make_window()
    shown = explain_by_drop(qtbot, window, path)
    expected = np.asarray(imaging.load_image(path))
    assert shown.photo.shape == expected.shape and np.array_equal(
        window.panels.canvas.photo(), expected
    )
    assert window.panels.canvas.saliency() is shown.result.saliency
    assert shown.result.layer == SMALL_LAYER and shown.result.maps_evaluated == 16
    assert odd.name in window.windowTitle()
    assert window.panels.strip.current_key() == str(path.resolve())
    assert not window.panels.canvas.banner.isVisible()


# -- imported weights ------------------------------------------------------------------------------
class _RunsCode:
    """Unpickling this creates the folder `marker` (os.mkdir): the proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


def _truncated(folder: Path) -> Path:
    path = folder / "lite0_cut.pth"
    path.write_bytes(bundled_weights_path().read_bytes()[:500_000])
    return path


def _other_architecture(folder: Path) -> Path:
    import torchvision

    path = folder / "squeezenet.pth"
    torch.save(torchvision.models.squeezenet1_1(weights=None).state_dict(), path)
    return path


def _pickle_with_code(folder: Path) -> Path:
    path = folder / "evil.pth"
    torch.save({"_fc.weight": torch.zeros(2, 2), "payload": _RunsCode(folder / "pwned")}, path)
    return path


BAD_WEIGHTS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "truncated": (_truncated, "truncated or not a PyTorch weights file"),
    "other architecture": (_other_architecture, "do not fit"),
    "pickle that runs code": (_pickle_with_code, "refused"),
    "missing": (lambda folder: folder / "nowhere.pth", "file not found"),
}


def test_the_pickle_payload_is_live(tmp_path):
    """Without weights_only the payload would run: so its absence below means something."""
    import pickle

    pickle.loads(pickle.dumps(_RunsCode(tmp_path / "ran")))
    assert (tmp_path / "ran").exists()


@pytest.mark.parametrize("kind", list(BAD_WEIGHTS))
def test_bad_weights_import_keeps_the_network(
    qtbot, make_window, photos, tmp_path, monkeypatch, kind
):
    make, reason = BAD_WEIGHTS[kind]
    weights = make(tmp_path)
    window = make_window()
    explain_by_drop(qtbot, window, photos["chelsea"])
    before = Screen.of(window)

    def choose(dialog: ImportWeightsDialog) -> int:  # the user picks the file and presses OK
        dialog.weights.setText(str(weights))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(ImportWeightsDialog, "exec", choose)
    with qtbot.waitSignal(window.jobFailed, timeout=TIMEOUT_MS) as failed:
        window.menus.import_action.trigger()
    wait_idle(qtbot, window)
    text = one_message(window, weights.name)
    assert failed.args == [text] and reason in text
    assert not (tmp_path / "pwned").exists()
    before.assert_still_shown(window)
    assert window.panels.sidebar.current_network() == "efficientnet_lite0"

    # The failed import is not remembered: the next explanation uses the network that works.
    index = window.panels.sidebar.network.findData("efficientnet_lite0")
    assert "imported" not in window.panels.sidebar.network.itemText(index)
    assert window.settings.imported_weights("efficientnet_lite0") is None
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.menus.explain_action.trigger()
    assert window.state.shown.request.weights_file is None
    assert np.array_equal(window.state.shown.result.saliency, before.saliency)


# -- export ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS], ids=["full disk", "read-only"])
def test_export_failure_leaves_no_file(qtbot, window, photos, tmp_path, monkeypatch, code):
    explain_by_drop(qtbot, window, photos["chelsea"])
    before = Screen.of(window)
    folder = tmp_path / "exports"
    folder.mkdir()
    window.settings.set_folder("export", str(folder))
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _parent, _title, text: warnings.append(text))
    )

    def save_and_close(dialog: ExportDialog) -> int:  # the user presses Save
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ExportDialog, "exec", save_and_close)
    # Root ignores folder permissions, so the failure is made where the file is put in place:
    # after the temporary file has been written in full.
    failing = [True]
    real_replace = os.replace

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if failing[0] and Path(dst).parent == folder:
            raise OSError(code, os.strerror(code), str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(atomicio.os, "replace", replace)
    status = window.panels.status_text()
    window.menus.export_action.trigger()
    assert len(warnings) == 1
    reason = {errno.ENOSPC: "disk full", errno.EROFS: "read-only file system"}[code]
    assert reason in warnings[0] and "_overlay.png" in warnings[0] and "\n" not in warnings[0]
    assert list(folder.iterdir()) == []  # no file, no temporary file
    assert window.panels.status_text() == status  # no "Exported" claim
    before.assert_still_shown(window)

    # Space freed: the same export now works, from the same window.
    failing[0] = False
    window.menus.export_action.trigger()
    assert len(warnings) == 1
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == 5 and not [n for n in written if n.endswith(".part")]  # figure too
    assert "chelsea_figure.png" in written
    assert window.panels.status_text().startswith("Exported 5 files")


# -- interrupted work ------------------------------------------------------------------------------
def test_switching_network_during_a_job(qtbot, make_window, photos, settings, monkeypatch):
    settings.set_layer("efficientnet_lite0", "_head_act")  # 1280 maps in batches of 2: long
    settings.set_options(Options(precision="fp32", batch_size=2, device="cpu"))
    stopped: list[str] = []  # networks whose Score-CAM run was closed before its end
    real_run = Explainer.run

    def run(self: Explainer, *args: object, **kwargs: object) -> Generator[object, None, object]:
        try:
            return (yield from real_run(self, *args, **kwargs))
        except GeneratorExit:
            stopped.append(self.network.info.name)
            raise

    monkeypatch.setattr(Explainer, "run", run)
    window = make_window(_test_loader)
    shown: list[object] = []
    ready: list[str] = []
    cancelled: list[int] = []
    window.explanationShown.connect(lambda: shown.append(window.state.shown))
    window.runner._worker.cancelled.connect(cancelled.append)
    window.controller.open_paths([str(photos["chelsea"])])
    maps: list[Progress] = []
    window.runner.progressed.connect(
        lambda _id, item: maps.append(item) if isinstance(item, Progress) else None
    )
    qtbot.waitUntil(lambda: any(m.done >= 6 for m in maps), timeout=TIMEOUT_MS)
    old_job = window.runner.current_job
    window.runner.progressed.connect(
        lambda _id, item: ready.append(item.name) if isinstance(item, NetworkReady) else None
    )
    index = window.panels.sidebar.network.findData("squeezenet1_1")
    window.panels.sidebar.network.setCurrentIndex(index)
    window.panels.sidebar.network.activated.emit(index)  # to download: the window asks first
    # (once the weights' states are listed: torch is loaded, so in a moment)
    qtbot.waitUntil(lambda: bool(window.panels.canvas.banner.buttons()), timeout=TIMEOUT_MS)
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        window.panels.canvas.banner.buttons()[0].click()  # "Download"
    wait_idle(qtbot, window)
    qtbot.wait(200)  # anything the old job might still send would arrive now
    assert stopped == ["efficientnet_lite0"] and old_job in cancelled
    assert ready == ["squeezenet1_1"]
    assert len(shown) == 1 and shown[0] is window.state.shown
    assert shown[0].request.network == "squeezenet1_1"
    assert shown[0].result.layer == SQUEEZE_LAYER
    assert window.state.network.name == "squeezenet1_1"
    assert window.panels.sidebar.current_network() == "squeezenet1_1"
    assert window.panels.canvas.saliency() is shown[0].result.saliency


def test_switching_network_during_a_download(qtbot, make_window, photos):
    def loader(
        name: str,
        weights_file: str | None = None,
        labels_file: str | None = None,
        progress: Callable[[int, int | None], None] | None = None,
        cancel: Callable[[], bool] | None = None,
        **kwargs: object,
    ) -> Network:
        if name == "resnet18":  # a slow download that stops when the job is cancelled
            assert progress is not None and cancel is not None
            for done in range(200):
                if cancel():
                    raise WeightsError("The download of resnet18-f37072fd.pth was cancelled.")
                progress(done * 1024 * 1024, 200 * 1024 * 1024)
                time.sleep(0.02)
            raise AssertionError("the download should have been cancelled")
        return load_network(name, weights_file, labels_file, progress=progress, cancel=cancel)

    window = make_window(loader)
    first = explain_by_drop(qtbot, window, photos["chelsea"])
    downloads: list[Download] = []
    window.runner.progressed.connect(
        lambda _id, item: downloads.append(item) if isinstance(item, Download) else None
    )
    index = window.panels.sidebar.network.findData("resnet18")
    qtbot.waitUntil(
        lambda: "to download" in window.panels.sidebar.network.itemText(index), timeout=TIMEOUT_MS
    )
    window.panels.sidebar.network.setCurrentIndex(index)
    window.panels.sidebar.network.activated.emit(index)
    window.panels.canvas.banner.buttons()[0].click()  # "Download"
    qtbot.waitUntil(lambda: len(downloads) >= 2, timeout=TIMEOUT_MS)
    # Back to the bundled network mid-download: the download stops, no error, a fresh result.
    index = window.panels.sidebar.network.findData("efficientnet_lite0")
    window.panels.sidebar.network.setCurrentIndex(index)
    with qtbot.assertNotEmitted(window.jobFailed, wait=0):
        with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
            window.panels.sidebar.network.activated.emit(index)
        wait_idle(qtbot, window)
    assert window.state.network.name == "efficientnet_lite0"
    assert np.array_equal(window.state.shown.result.saliency, first.result.saliency)
    assert not window.panels.canvas.banner.isVisible()


def _cancel_when(point: str) -> Callable[[object], bool]:
    """Whether this job event is the moment to press Cancel."""
    if point == "loading the network":
        return lambda item: isinstance(item, Stage) and item.text.startswith("Getting")
    if point == "mid-way":
        return lambda item: isinstance(item, Progress) and item.done >= item.total // 2
    if point == "right before the end":  # every map scored, the result about to be returned
        return lambda item: isinstance(item, Stage) and item.text.startswith("Rendering")
    raise ValueError(point)


CANCEL_POINTS = ["right after start", "loading the network", "mid-way", "right before the end"]


@pytest.mark.parametrize("point", CANCEL_POINTS)
def test_cancel_at_any_point_leaves_the_window_usable(qtbot, make_window, photos, settings, point):
    settings.set_options(Options(precision="fp32", batch_size=2, device="cpu"))  # 8 batches
    window = make_window()
    hit: list[object] = []

    def maybe_cancel(_job_id: int, item: object) -> None:
        if not hit and point != "right after start" and _cancel_when(point)(item):
            hit.append(item)
            window.controller.cancel()

    window.runner.progressed.connect(maybe_cancel)
    with qtbot.assertNotEmitted(window.explanationShown, wait=0):
        with qtbot.waitSignal(window.jobCancelled, timeout=TIMEOUT_MS):
            drop(window, [photos["chelsea"]])
            if point == "right after start":
                hit.append(None)
                window.controller.cancel()
        wait_idle(qtbot, window)
        qtbot.wait(100)  # a late result would arrive now
    assert hit
    assert window.state.shown is None and window.panels.canvas.saliency() is None
    assert "Cancelled" in window.panels.status_text()
    assert not window.panels.progress.isVisible() and not window.menus.cancel_action.isEnabled()

    # A new explanation works, complete and from the right photo.
    shown = explain_by_drop(qtbot, window, photos["coffee"])
    wait_idle(qtbot, window)
    assert shown.request.photo.label == "coffee.png"
    assert shown.result.maps_evaluated == shown.result.maps_total == 16
    assert window.panels.canvas.saliency() is shown.result.saliency
    assert window.state.network.name == "efficientnet_lite0"


def test_cancelling_a_new_class_keeps_the_shown_explanation(qtbot, make_window, photos, settings):
    settings.set_options(Options(precision="fp32", batch_size=2, device="cpu"))
    window = make_window()
    explain_by_drop(qtbot, window, photos["chelsea"])
    # Another class is a re-weighting of the passes kept (no job to cancel): forget them, so
    # that the class is computed, as when none were kept.
    window.session.results.clear()
    before = Screen.of(window)
    cancel_mid_way = _cancel_when("mid-way")
    window.runner.progressed.connect(
        lambda _id, item: window.controller.cancel() if cancel_mid_way(item) else None
    )
    with qtbot.assertNotEmitted(window.explanationShown, wait=0):
        with qtbot.waitSignal(window.jobCancelled, timeout=TIMEOUT_MS):
            window.panels.prediction.click_row(1)
        wait_idle(qtbot, window)
        qtbot.wait(100)
    before.assert_still_shown(window)
    assert "Cancelled" in window.panels.status_text()
