"""What the window says, in plain words for people who are not programmers (no Qt here).

Every text goes through `translate("PlainWords", …)` (app/translation.py), or is marked with
`QT_TRANSLATE_NOOP("PlainWords", …)` where it is a constant that the window translates when it
shows it (STATUS_HELP, HELP_HTML, BACKEND_CHOICES); without a window the texts stay English.

The technical terms (layer, logit, weighting, fill, fp32) stay available one step away: the
`*_details` texts go into tooltips and the details line, and Help › How to Read the Map explains
them (docs/… is not needed to read the window).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from ..choices import INT8
from .translation import QT_TRANSLATE_NOOP, translate

if TYPE_CHECKING:
    from ..engine.record import ExplanationRecord

# The network is "unsure" below this top probability, or when the first two are this close.
UNSURE_BELOW = 0.5
CLOSE_WITHIN = 0.1  # probability points between the first and second class
KNOWS_NOTHING_BELOW = 0.15  # the top class this low: the photo may show nothing it knows


class PredictionLike(Protocol):  # read-only members: the engine's frozen Prediction fits
    @property
    def name(self) -> str: ...
    @property
    def probability(self) -> float: ...


def confidence_note(top: Sequence[PredictionLike]) -> str:
    """One line for beside the prediction when it should not be read as a fact ("" if sure)."""
    if not top:
        return ""
    first = top[0]
    second = top[1] if len(top) > 1 else None
    if first.probability < KNOWS_NOTHING_BELOW:
        return translate(
            "PlainWords",
            "The network is guessing: the photo may show nothing it knows (its best guess, "
            "“{name}”, gets only {share}).",
        ).format(name=first.name, share=_percent(first.probability))
    if second is not None and first.probability - second.probability < CLOSE_WITHIN:
        return translate(
            "PlainWords",
            "The network is unsure: “{first}” and “{second}” are close. "
            "Click either to see what speaks for it.",
        ).format(first=first.name, second=second.name) + translate(
            "PlainWords", " “Compared with…” below shows what tells the two apart."
        )
    if first.probability < UNSURE_BELOW:
        return translate(
            "PlainWords",
            "The network is unsure: its best guess gets only {share}. "
            "Read the map as what it looked at, not as what the photo shows.",
        ).format(share=_percent(first.probability))
    return ""


def _percent(fraction: float) -> str:
    """0.12 -> '12%' (the confidence notes' way; the window's own numbers use gui/i18n)."""
    return f"{fraction:.0%}"


def not_opened(what: str, photo_stays: bool) -> str:
    """The message for photos that could not be opened (`what`: which, and why), saying so
    when the photo on screen stays."""
    text = translate("PlainWords", "Could not open {what}.").format(what=what)
    if photo_stays:
        text += translate("PlainWords", " The current photo stays.")
    return text


def is_unsure(top: Sequence[PredictionLike]) -> bool:
    return bool(confidence_note(top))


def map_reading(class_name: str, network_title: str) -> str:
    """How to read the Score-CAM map on the canvas."""
    return translate(
        "PlainWords",
        "Red and yellow: the parts of the photo that raised {network}’s score for "
        "“{name}” the most. Blue or dark: parts that did not raise it.",
    ).format(network=network_title, name=class_name)


def contrast_heading(name: str, other: str) -> str:
    """The heading of a map of one class against another."""
    return translate("PlainWords", "“{name}” rather than “{other}”").format(name=name, other=other)


def contrast_reading(name: str, other: str, network_title: str) -> str:
    """How to read the map of one class against another (docs/contrast.md)."""
    return translate(
        "PlainWords",
        "Red and yellow: the parts of the photo that make {network} say “{name}” rather than "
        "“{other}”. Blue or dark: parts that do not tell the two apart.",
    ).format(network=network_title, name=name, other=other)


def shown_from_same_passes(name: str, earlier: str, other: str | None = None) -> str:
    """The status when a map was made from another class's masked passes, with no new pass."""
    if other is not None:
        return translate(
            "PlainWords",
            "Showing “{name}” rather than “{other}” at once: made from the masked photos "
            "already scored for “{earlier}”, nothing was computed again.",
        ).format(name=name, other=other, earlier=earlier)
    return translate(
        "PlainWords",
        "Showing “{name}” at once: made from the masked photos already scored for "
        "“{earlier}”, nothing was computed again.",
    ).format(name=name, earlier=earlier)


def compared_map_reading(method: str, class_name: str) -> str:
    return translate(
        "PlainWords",
        "The {method} map of “{name}” (from the Compare tab). Click its tile again to "
        "go back to Score-CAM.",
    ).format(method=method, name=class_name)


def map_details(record: ExplanationRecord) -> str:
    """The technical line behind the map (tooltip and details line), read from the
    explanation's record (engine/record.py), as `--json` and the export write it."""
    backend = record.backend or "torch"
    engine = translate("PlainWords", BACKEND_NAMES.get(backend, backend))
    return translate(
        "PlainWords",
        "Score-CAM · layer {layer} ({maps} maps, {inputs} masked inputs) · "
        "{weighting} weighting · {fill} fill · {device} {precision} · {engine} · {seconds} s",
    ).format(
        layer=record.layer,
        maps=record.maps_total,
        inputs=record.maps_evaluated,
        # the window's map is Score-CAM's, which has both (other methods' records say null)
        weighting=choice_name(WEIGHTING_NAMES, record.weighting or ""),
        fill=choice_name(FILL_NAMES, record.fill or ""),
        device=record.device,
        precision=precision_shown(record.precision or "", record.precision_agreement),
        engine=engine,
        seconds=f"{record.seconds or 0.0:.1f}",
    )


def precision_shown(precision: str, agreement: float | None = None) -> str:
    """A precision as the window shows it: INT8 says that it is approximate, and with
    `agreement` (its map check, engine/runtime/int8.py) how close its network's map came to the
    exact one; the others as they are."""
    if precision != INT8:
        return precision
    if agreement is None:
        return translate("PlainWords", "{precision} (approximate)").format(precision=precision)
    return translate(
        "PlainWords", "{precision} (approximate: {agreement} agreement with the exact map)"
    ).format(precision=precision, agreement=f"{agreement:.3f}")


# The speed engines (choices.BACKENDS) as the window names them.
BACKEND_NAMES = {
    "auto": QT_TRANSLATE_NOOP("PlainWords", "automatic"),
    "torch": "PyTorch",
    "openvino": "OpenVINO",
}
BACKEND_CHOICES = {
    "auto": QT_TRANSLATE_NOOP("PlainWords", "automatic"),
    "torch": "PyTorch",
    "openvino": QT_TRANSLATE_NOOP("PlainWords", "OpenVINO (faster on Intel and AMD CPUs)"),
}

# The weightings and fills (choices.WEIGHTINGS, FILLS) as the window names them: in the Advanced
# options and the details line. The English window keeps the engine's own names; the exports,
# records and the command line always do.
WEIGHTING_NAMES = {
    "paper": QT_TRANSLATE_NOOP("PlainWords", "paper"),
    "matlab": QT_TRANSLATE_NOOP("PlainWords", "matlab"),
    "reference": QT_TRANSLATE_NOOP("PlainWords", "reference"),
}
FILL_NAMES = {
    "black": QT_TRANSLATE_NOOP("PlainWords", "black"),
    "mean": QT_TRANSLATE_NOOP("PlainWords", "mean"),
}
# choices.py's help texts (the command line's), marked again for the window's tooltips;
# tests/gui/test_translations.py keeps them equal to choices.py's.
WEIGHTING_HELP = {
    "paper": QT_TRANSLATE_NOOP(
        "PlainWords",
        "Algorithm 1 of the paper (pytorch-grad-cam, torch-cam): softmax over logits",
    ),
    "matlab": QT_TRANSLATE_NOOP(
        "PlainWords",
        "The MATLAB example, line for line: softmax over probabilities, normalised masks",
    ),
    "reference": QT_TRANSLATE_NOOP(
        "PlainWords", "The authors' released code: the probabilities themselves are the weights"
    ),
}
FILL_HELP = {
    "black": QT_TRANSLATE_NOOP(
        "PlainWords",
        "Mask the photo's pixels, masked-out parts are black (the MATLAB example)",
    ),
    "mean": QT_TRANSLATE_NOOP(
        "PlainWords",
        "Mask the normalised input, masked-out parts are the dataset mean (the paper's code)",
    ),
}
PRECISION_HELP = {
    "auto": QT_TRANSLATE_NOOP(
        "PlainWords",
        "A 16-bit format only where it was measured to be faster and to give the same map",
    ),
    "fp32": QT_TRANSLATE_NOOP(
        "PlainWords", "Exact: the map every other precision is measured against"
    ),
    "bf16": QT_TRANSLATE_NOOP(
        "PlainWords", "16 bits: faster on processors that have it natively (and on GPUs)"
    ),
    "fp16": QT_TRANSLATE_NOOP("PlainWords", "16 bits on NVIDIA and Apple GPUs"),
    "int8": QT_TRANSLATE_NOOP(
        "PlainWords",
        "Fastest on the processor, but approximate: the map can differ from the exact one, "
        "and each run says how close it came (OpenVINO with NNCF)",
    ),
}
BACKEND_HELP = {
    "auto": QT_TRANSLATE_NOOP(
        "PlainWords",
        "OpenVINO on the CPU where it is installed and gives the same map, else PyTorch",
    ),
    "torch": QT_TRANSLATE_NOOP("PlainWords", "PyTorch (NVIDIA and Apple GPUs, any CPU)"),
    "openvino": QT_TRANSLATE_NOOP(
        "PlainWords", "OpenVINO (CPU only; faster on Intel and AMD CPUs)"
    ),
}


def choice_name(names: dict[str, str], value: str) -> str:
    """An option's value (WEIGHTING_NAMES, FILL_NAMES) in the window's language."""
    return translate("PlainWords", names[value]) if value in names else value


def choice_help(names: dict[str, str], helps: dict[str, str], value: str) -> str:
    """One choice's tooltip line: its name, the engine's name where the two differ, its help."""
    name = choice_name(names, value)
    if name != value:
        name = translate("PlainWords", "{name} ({value})").format(name=name, value=value)
    return translate("PlainWords", "{name}: {help}").format(
        name=name, help=translate("PlainWords", helps[value])
    )


def layer_caption(count: int, height: int, width: int, is_default: bool) -> str:
    """What the chosen layer is, plainly; the shape stays for those who look for it."""
    if is_default:
        return translate(
            "PlainWords",
            "The usual choice: the network’s last layer · {count} feature maps of {height}×{width}",
        ).format(count=count, height=height, width=width)
    return translate(
        "PlainWords",
        "{count} feature maps of {height}×{width}. Earlier layers see smaller, simpler "
        "patterns (edges, textures).",
    ).format(count=count, height=height, width=width)


STATUS_HELP = {
    "bundled": QT_TRANSLATE_NOOP(
        "PlainWords", "Comes with the app: works without an internet connection."
    ),
    "downloaded": QT_TRANSLATE_NOOP(
        "PlainWords", "Downloaded before: works without an internet connection."
    ),
    "imported": QT_TRANSLATE_NOOP("PlainWords", "Uses a weights file you imported."),
    "missing": QT_TRANSLATE_NOOP("PlainWords", "Must be downloaded once before first use."),
    "checking": QT_TRANSLATE_NOOP(
        "PlainWords",
        "Score-CAM Studio is still starting: whether this network is on this computer "
        "shows in a moment.",
    ),
    "file": QT_TRANSLATE_NOOP("PlainWords", "A model file you opened (File > Open Model File…)."),
    "taught": QT_TRANSLATE_NOOP(
        "PlainWords",
        "Taught your own classes here (File > Teach It Your Own Classes…); kept on this computer.",
    ),
}


def download_size_mb(name: str) -> float | None:
    """The size of a torchvision network's weights file in MB, if torchvision says."""
    try:
        from torchvision.models import get_model_weights

        size = get_model_weights(name).DEFAULT.meta.get("_file_size")
    except Exception:  # any network torchvision cannot describe: size unknown
        return None
    return float(size) if size else None


def download_host(url: str | None) -> str:
    if not url:
        return ""
    from urllib.parse import urlparse

    return urlparse(url).netloc


def weights_file_to_fetch(url: str) -> str:
    """Which file to bring from a computer that is online, and from where ("" if unknown)."""
    if not url:
        return ""
    name = url.rstrip("/").rsplit("/", 1)[-1]
    return translate("PlainWords", "the file {name} from {url}").format(name=name, url=url)


def download_offer(title: str, size_mb: float | None, host: str, url: str = "") -> str:
    """Asked before downloading a network's weights."""
    if size_mb and host:
        size = translate("PlainWords", " ({size} MB from {host})").format(
            size=f"{size_mb:.0f}", host=host
        )
    elif size_mb:
        size = translate("PlainWords", " ({size} MB)").format(size=f"{size_mb:.0f}")
    elif host:
        size = translate("PlainWords", " (from {host})").format(host=host)
    else:
        size = ""
    fetch = weights_file_to_fetch(url) or translate("PlainWords", "the weights file")
    return translate(
        "PlainWords",
        "{title} is not on this computer yet. Download its weights once{size}? "
        "Without an internet connection, bring {fetch} on a USB stick and use "
        "Import weights…",
    ).format(title=title, size=size, fetch=fetch)


def weights_problem(message: str, title: str, url: str = "") -> str:
    """The engine's weights message, said for the window: no command-line options, no cache
    file names (the full message goes to the log)."""
    lowered = message.lower()
    if "cancelled" in lowered:
        return translate("PlainWords", "The download of {title} was cancelled.").format(title=title)
    if lowered.startswith("could not download"):
        reason = ""
        if "(" in message and ")" in message:
            reason = message[message.index("(") + 1 : message.index(")")]
        because = f" ({reason})" if reason else ""
        fetch = weights_file_to_fetch(url) or translate("PlainWords", "the weights file")
        return translate(
            "PlainWords",
            "Could not download {title}’s weights{because}. On a computer that is online, "
            "fetch {fetch}, bring it here and use Import weights… (pick {title} and that "
            "file), or keep using EfficientNet-Lite0, which works offline.",
        ).format(title=title, because=because, fetch=fetch)
    if "hash" in lowered or "damaged" in lowered or "sha256" in lowered:
        return translate(
            "PlainWords",
            "The downloaded weights of {title} are damaged. Choose it again to download them "
            "once more, or use Import weights…",
        ).format(title=title)
    import_weights = translate("PlainWords", "Import weights…")
    return message.replace(" / --weights", "").replace("--weights", import_weights)


# The Help text "How to read the map" (Help menu, F1, and the link above the photo).
HELP_HTML = QT_TRANSLATE_NOOP(
    "PlainWords",
    """
<h3>What the map shows</h3>
<p>The colours over the photo show where the network looked to decide on the class named above
the photo. <b>Red and yellow</b>: the parts that raised the network's score for that class the
most. <b>Blue or dark</b>: parts that did not raise it. The colour bar goes from 0 (no effect) to
1 (the strongest effect in this photo); the numbers compare parts of one photo, not photos.</p>
<h3>How sure the network is</h3>
<p>The percentages on the right are how sure the network is of each class. Below 50 %, or with
two classes close, it is unsure and says so: the map then shows what it looked at, not what the
photo shows. Click another class to see what speaks for it.</p>
<h3>How Score-CAM makes it</h3>
<p>A network looks at a photo in <b>layers</b>; the last one has many <b>feature maps</b>, each
lighting up where it found one pattern (tab <i>Feature maps</i>). Score-CAM lays each feature map
over the photo as a mask (tab <i>Masked inputs</i>) and lets the network score what it still sees;
maps that keep what matters score high. The heat map is the sum of the feature maps, each
<b>weighted</b> by its score.</p>
<h3>The technical terms</h3>
<p><b>Layer</b>: which of the network's steps the feature maps come from (the last one by
default). <b>Logit</b>: the network's raw score for a class, before it becomes a percentage.
<b>Weighting</b> (Advanced): <i>paper</i> weights the maps by their logits as the Score-CAM
paper does; <i>matlab</i> as the MATLAB example (flatter maps); <i>reference</i> as the authors'
code. <b>Fill</b>: what masked-out parts become, black or the average colour. <b>Device,
precision</b> (cpu · bf16): where the network runs and in which number format; the
details line to the right of the class name lists them for the map shown.</p>
<h3>Colours</h3>
<p><i>Grey photo</i> is the MATLAB example's look (jet colours over the photo in grey);
<i>Colour photo</i> blends the colours over the photo. <i>viridis</i> reads the same for people
with colour-blindness.</p>
""",
)


# -- time left --------------------------------------------------------------------------------
def format_eta(seconds: float | None) -> str:
    """Rounded up, so that the promise is kept: "about 40 s left", "about 3 min left"."""
    if seconds is None:
        return ""
    if seconds < 1:
        return translate("PlainWords", "almost done")
    if seconds < 60:
        left = f"{max(5, 5 * math.ceil(seconds / 5)):.0f}"
        return translate("PlainWords", "about {seconds} s left").format(seconds=left)
    if seconds < 120:
        left = f"{10 * math.ceil(seconds / 10):.0f}"
        return translate("PlainWords", "about {seconds} s left").format(seconds=left)
    left = f"{math.ceil(seconds / 60):.0f}"
    return translate("PlainWords", "about {minutes} min left").format(minutes=left)


def shown_from_earlier(class_name: str, seconds: float) -> str:
    """The status when a map was kept from an earlier run (gui/resultcache.py)."""
    return translate(
        "PlainWords",
        "Shown from earlier: the map of “{name}” (it took {seconds} s to make) "
        "was kept, nothing was computed again. Explain (F5) makes it anew.",
    ).format(name=class_name, seconds=f"{seconds:.0f}")


# How settled a running map is (the engine's Progress.settled: the share of the layer's activation
# mass scored so far). On EfficientNet-Lite0's last layer (chelsea, coffee, astronaut), at 50 % the
# running map correlated 0.98-0.998 with the final one, at 75 % 0.999 or more with no pixel off by
# more than 0.05 of the scale (docs/scorecam.md, "How settled the running map is").
SETTLED_CLOSE = 0.5
SETTLED_NEARLY = 0.75


def settled_words(settled: float) -> str:
    """'62 % settled: close to its final form', in words a newcomer reads."""
    if settled >= SETTLED_NEARLY:
        how = translate("PlainWords", "nearly final, the rest will change it very little")
    elif settled >= SETTLED_CLOSE:
        how = translate("PlainWords", "close to its final form, details may still change")
    else:
        how = translate("PlainWords", "still changing")
    return translate("PlainWords", "{percent} % settled: {how}").format(
        percent=round(100 * settled), how=how
    )
