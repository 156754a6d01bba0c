"""When not to trust a map (engine/trust.py): the rule, its numbers on real photos, the window.

The photos are the bundled sample and scikit-image's; the network is the bundled EfficientNet-Lite0
(real ImageNet weights). docs/trust.md lists the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

skimage_data = pytest.importorskip("skimage.data")

from PIL import Image  # noqa: E402

from scorecam_gui.appdata import sample_photo_path  # noqa: E402
from scorecam_gui.engine import imaging  # noqa: E402
from scorecam_gui.engine.explainer import Explainer  # noqa: E402
from scorecam_gui.engine.models.registry import load_network  # noqa: E402
from scorecam_gui.engine.trust import assess, entropy_bits, softmax_entropy_bits  # noqa: E402

SMALL_LAYER = "_blocks.0"  # 16 maps: the rule needs the classification, not a fine map


@dataclass(frozen=True)
class P:
    index: int
    name: str
    probability: float


CAT_TOP5 = (
    P(285, "Egyptian cat", 0.791),
    P(282, "tiger cat", 0.088),
    P(281, "tabby", 0.071),
    P(287, "lynx", 0.010),
    P(728, "plastic bag", 0.001),
)


def test_entropy_in_bits():
    assert entropy_bits(np.array([1.0, 0.0])) == 0.0
    assert entropy_bits(np.full(1000, 1e-3)) == pytest.approx(np.log2(1000))
    assert softmax_entropy_bits(np.zeros(4)) == pytest.approx(2.0)
    assert softmax_entropy_bits(np.array([1000.0, 0.0])) == pytest.approx(0.0, abs=1e-9)


def test_a_class_the_network_does_not_see_is_called_so():
    retriever = P(207, "golden retriever", 0.0004)
    trust = assess(CAT_TOP5, retriever, entropy=1.44, network_title="EfficientNet-Lite0")
    assert trust.class_not_seen and not trust.photo_unfamiliar
    assert "golden retriever" in trust.note and "Egyptian cat" in trust.note
    assert "< 0.1 %" in trust.note


def test_the_top_class_and_a_close_second_need_no_note():
    assert assess(CAT_TOP5, CAT_TOP5[0], entropy=1.44).note == ""
    assert assess(CAT_TOP5, CAT_TOP5[1], entropy=1.44).note == ""  # tiger cat, 8.8 %


def test_a_confident_but_spread_answer_is_unfamiliar():
    page = (P(720, "pill bottle", 0.648), P(0, "x", 0.027))
    trust = assess(page, page[0], entropy=3.52)
    assert trust.photo_unfamiliar and not trust.class_not_seen
    assert "unlike the photos the network learnt from" in trust.note
    assert "3.52 bits" in trust.detail
    # Without the entropy only the top class's probability decides.
    assert not assess(page, page[0], entropy=None).photo_unfamiliar


def _photos() -> dict[str, np.ndarray]:
    photos = {"chelsea": np.asarray(imaging.load_image(sample_photo_path()))}
    for name in ("coffee", "camera", "astronaut", "rocket", "text", "page", "clock"):
        array = getattr(skimage_data, name)()
        photos[name] = np.stack([array] * 3, -1) if array.ndim == 2 else array
    photos["grey"] = np.full((224, 224, 3), 128, np.uint8)
    return photos


@pytest.fixture(scope="module")
def results():
    explainer = Explainer(load_network("efficientnet_lite0"), "cpu", "fp32", 16)
    return {
        name: explainer.explain(Image.fromarray(photo), layer=SMALL_LAYER)
        for name, photo in _photos().items()
    }


# (photo, its top class, unfamiliar?) with the bundled EfficientNet-Lite0 (docs/trust.md)
EXPECTED = [
    ("chelsea", "Egyptian cat", False),
    ("coffee", "espresso", False),
    ("camera", "tripod", False),
    ("astronaut", "bobsled", True),  # a person: ImageNet has no such class
    ("rocket", "drilling platform", True),
    ("text", "ballpoint", True),
    ("page", "pill bottle", True),  # 64.8 %, but spread over many classes (3.5 bits)
    ("clock", "bubble", True),  # 54.6 %, 2.9 bits
    ("grey", "megalith", True),
]


@pytest.mark.parametrize(("photo", "top", "unfamiliar"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_the_rule_on_real_photos(results, photo, top, unfamiliar):
    result = results[photo]
    assert result.top5[0].name == top
    assert result.entropy is not None
    probabilities = np.array([p.probability for p in result.top5])
    assert result.entropy >= entropy_bits(probabilities / probabilities.sum()) - 1e-6
    trust = assess(result.top5, result.target, result.entropy)
    assert trust.photo_unfamiliar == unfamiliar, (photo, result.top5[0], result.entropy)
    assert not trust.class_not_seen  # the top class is never "not seen"


def test_the_window_says_it_beside_the_map(qtbot, window, tmp_path):
    path = tmp_path / "chelsea.png"
    Image.open(sample_photo_path()).save(path)
    with qtbot.waitSignal(window.explanationShown, timeout=120_000):
        window.controller.open_paths([str(path)])
    assert not window.panels.canvas.trust_note.isVisibleTo(window)
    retriever = window.state.network.categories.index("golden retriever")
    with qtbot.waitSignal(window.explanationShown, timeout=120_000):
        window.controller.explain_class(retriever)
    note = window.panels.canvas.trust_note
    assert note.isVisibleTo(window)
    assert "golden retriever" in note.text() and "Egyptian cat" in note.text()
    assert "bits" in note.toolTip()
