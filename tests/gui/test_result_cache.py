"""Results are kept (gui/resultcache.py): a second look at a photo or a class runs no forward pass.

The window tests count every forward pass of every torch module (a global forward hook), so a
map that was computed again, or even a classification, would be seen.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, replace

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
skimage_data = pytest.importorskip("skimage.data")

import torch  # noqa: E402
from PIL import Image  # noqa: E402

from scorecam_gui.app.options import Options  # noqa: E402
from scorecam_gui.app.resultcache import ResultCache, file_content, result_key  # noqa: E402
from scorecam_gui.gui.folder.view import keep_result  # noqa: E402
from tests.helpers import window as window_helpers  # noqa: E402

TIMEOUT_MS = 120_000


photos = window_helpers.photos  # the window tests' photos (tests/helpers/window.py)


class ForwardCounter:
    """Counts forward passes of torch modules (every module, every thread) while active."""

    def __init__(self) -> None:
        self.count = 0

    def __enter__(self) -> ForwardCounter:
        def hook(_module: object, _args: object, _output: object) -> None:
            self.count += 1

        self._handle = torch.nn.modules.module.register_module_forward_hook(hook)
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.remove()


def explain(qtbot, window, action) -> None:
    with qtbot.waitSignal(window.explanationShown, timeout=TIMEOUT_MS):
        action()


def test_going_back_to_a_photo_and_a_class_runs_no_forward_pass(qtbot, window, photos):
    explain(qtbot, window, lambda: window.controller.open_paths([str(photos["chelsea"])]))
    first = window.state.shown
    assert not first.from_earlier
    second_class = first.result.top5[1].index
    explain(qtbot, window, lambda: window.controller.explain_class(second_class))
    explain(qtbot, window, lambda: window.controller.open_paths([str(photos["coffee"])]))

    with ForwardCounter() as counter:
        explain(qtbot, window, lambda: window.controller.open_paths([str(photos["chelsea"])]))
        back = window.state.shown
        explain(qtbot, window, lambda: window.controller.explain_class(second_class))
        other_class = window.state.shown
    assert counter.count == 0
    assert back.from_earlier  # the very result kept
    assert back.result is first.result  # the very numbers, not a copy computed again
    # another class: made again from the kept passes (docs/contrast.md), no pass either
    assert other_class.reweighted_from is not None
    assert other_class.result.target.index == second_class
    assert "nothing was computed again" in window.panels.status_text().lower()
    assert np.array_equal(window.panels.canvas.photo(), np.asarray(Image.open(photos["chelsea"])))

    # Explain (F5) computes again.
    with ForwardCounter() as counter:
        explain(qtbot, window, window.controller.explain_again)
    assert counter.count > 0 and not window.state.shown.from_earlier
    assert "from earlier" not in window.panels.status_text().lower()


def test_the_same_photo_under_another_name_is_found_by_content(qtbot, window, photos, tmp_path):
    explain(qtbot, window, lambda: window.controller.open_paths([str(photos["coffee"])]))
    copy = tmp_path / "copy of coffee.png"
    copy.write_bytes(photos["coffee"].read_bytes())
    with ForwardCounter() as counter:
        explain(qtbot, window, lambda: window.controller.open_paths([str(copy)]))
    assert counter.count == 0 and window.state.shown.from_earlier


def test_a_folder_batch_result_opens_without_computing(qtbot, window, photos):
    """What the Folder view's batch computed is found when its tile is opened."""
    from scorecam_gui.engine.folders.batch import open_job, run_local
    from scorecam_gui.engine.folders.paths import expand_paths
    from scorecam_gui.gui.folder.view import job_for_window

    explain(
        qtbot, window, lambda: window.controller.open_paths([str(photos["chelsea"])])
    )  # the network
    job = job_for_window(window)
    opened = open_job(job)
    done = [
        e
        for e in run_local(opened, expand_paths([str(photos["coffee"])]).photos, None, set())
        if type(e).__name__ == "PhotoDone"
    ]
    assert len(done) == 1 and done[0].result is not None
    keep_result(window.session.results, job, done[0].row, done[0].result)
    with ForwardCounter() as counter:
        explain(qtbot, window, lambda: window.controller.open_paths([str(photos["coffee"])]))
    assert counter.count == 0 and window.state.shown.from_earlier
    assert window.state.shown.result is done[0].result


def test_sanity_check_keeps_the_faithfulness_results(qtbot, window, photos, monkeypatch):
    explain(qtbot, window, lambda: window.controller.open_paths([str(photos["chelsea"])]))
    with qtbot.waitSignal(window.comparisonShown, timeout=TIMEOUT_MS):
        window.controller.run_compare(("paper", "gradcam"), False)
    assert len(window.panels.compare.view.entries()) == 2
    assert not window.panels.compare.verdict.isHidden()  # one sentence on what they mean
    assert window.panels.compare.verdict.text().startswith("The methods")
    assert "(about " in window.panels.compare.sanity_button.text()  # how long, before it starts
    started = []
    monkeypatch.setattr(window.controller, "_run_job", lambda job: started.append(job))
    window.controller.run_sanity_check(("paper",))
    assert started and len(window.panels.compare.view.entries()) == 2


# -- the cache itself -----------------------------------------------------------------------------
@dataclass
class _Prediction:
    index: int


@dataclass
class _Result:
    """Stands in for a MethodResult: the cache reads only these."""

    target: _Prediction
    top5: tuple[_Prediction, ...]
    saliency: np.ndarray
    stopped: bool = False


def _result(index: int, top: int, nbytes: int = 1000) -> _Result:
    return _Result(_Prediction(index), (_Prediction(top),), np.zeros(nbytes // 4, np.float32))


def _key(content: str, target: int | None = None):
    return result_key(content, "efficientnet_lite0", None, None, "_head_act", target, Options())


def test_the_predicted_class_is_found_by_its_index_too():
    cache = ResultCache()
    result = _result(285, 285)
    cache.put(_key("a"), result)  # type: ignore[arg-type]
    assert cache.get(_key("a", 285)) is result
    assert cache.get(_key("a", 281)) is None
    assert cache.get(replace_options(_key("a"))) is None


def replace_options(key):
    return (*key[:6], astuple(replace(Options(), weighting="matlab")))


def test_the_cache_is_bounded_by_count_and_by_bytes():
    cache = ResultCache(max_entries=3, max_bytes=10_000)
    for i in range(5):
        cache.put(_key(str(i)), _result(1, 1))  # type: ignore[arg-type]
    assert len(cache) == 3
    assert cache.get(_key("0")) is None and cache.get(_key("4")) is not None
    cache.put(_key("big"), _result(1, 1, nbytes=9_000))  # type: ignore[arg-type]
    assert cache.get(_key("big")) is not None
    assert len(cache) == 2  # 9,000 + 1,000 bytes: the older ones went


def test_file_content_names_the_bytes(tmp_path):
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"photo")
    b.write_bytes(b"photo")
    assert file_content(a) == file_content(b)
    b.write_bytes(b"photo!")
    assert file_content(a) != file_content(b)
