"""The catalog of explanation methods: one row a method, torch-free.

Every place that names a method reads this table: the command line's choices and help
(`--method`, `evaluate --methods`), the Compare tab's check boxes and their one-line
descriptions, `evaluate`, the grid pointing game and the sanity check. A row names the module
that implements it (engine/methods/base.py's protocol); engine/methods/registry.py loads it only
when the method runs, so `scorecam --help` and the first window need no torch.

Adding a method is one module, one row here and one test file (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "FAMILIES",
    "METHODS",
    "PROTOCOL_METHODS",
    "MethodInfo",
    "accepted",
    "canonical",
    "check_methods",
    "info",
    "names",
    "not_applicable",
]

# Families, in the order the Compare tab groups them: a plain-word heading for each.
FAMILIES: dict[str, str] = {
    "score-cam": "Score-CAM family: each feature map masks the photo, the network scores it",
    "gradient": "Gradient methods: one backward pass from the class score",
    "activation": "Without gradients: the feature maps themselves, or each one switched off",
    "baseline": "Baseline: a map that knows nothing of the photo",
}


@dataclass(frozen=True)
class MethodInfo:
    name: str  # canonical: --method, CSV rows, manifests, JSON records
    title: str  # "Score-CAM (paper)"
    family: str  # a key of FAMILIES
    module: str  # the implementation, relative to scorecam_gui.engine.methods
    summary: str  # one line in plain words (the Compare tab's tooltip)
    reference: str  # the paper, and which peer's implementation it matches
    aliases: tuple[str, ...] = ()  # other spellings accepted on input
    params: tuple[tuple[str, str], ...] = ()  # this row's fixed options (a weighting)
    cost: str = ""  # the work, in passes through the network (the README's method table)
    slow: bool = False  # hundreds of passes: the Compare tab marks it with its cost
    # What its batched passes need of the backend that runs them (engine/runtime/backends.py:
    # "layer-hooks", "gradients"; "full-precision": fp32 passes whatever the precision of the
    # others); the inference runner routes them to one that has it.
    needs: frozenset[str] = frozenset()
    approximates: bool = False  # takes --approximate N (the N highest-variance maps)
    contrasts: bool = False  # explains one class against another (MethodRequest.contrast)
    # Its passes do not depend on the class: a run keeps every class's scores, and the map of
    # another class (or of one against another) is a re-weighting with no pass
    # (registry.for_class). Group-CAM's masks come from the class's gradients, so it cannot.
    every_class: bool = False
    fills: bool = False  # masks the photo, the masked-out parts --fill's (black, mean)
    stops: bool = False  # scores inputs batch by batch: --time-budget, "Stop here" end it early

    @property
    def options(self) -> dict[str, str]:
        return dict(self.params)


_SCORECAM_COST = "1 pass a varying feature map (483 on the bundled network's default layer)"

METHODS: tuple[MethodInfo, ...] = (
    MethodInfo(
        "scorecam-paper",
        "Score-CAM (paper)",
        "score-cam",
        "scorecam.scorecam",
        "Masks the photo with each feature map and weighs each map by how much the network "
        "still sees the class in it.",
        "Wang et al. 2020, Algorithm 1: softmax over the masked inputs' logits "
        "(pytorch-grad-cam, torch-cam)",
        aliases=("scorecam", "paper"),
        params=(("weighting", "paper"),),
        cost=_SCORECAM_COST,
        slow=True,
        approximates=True,
        contrasts=True,
        every_class=True,
        fills=True,
        stops=True,
    ),
    MethodInfo(
        "scorecam-matlab",
        "Score-CAM (matlab)",
        "score-cam",
        "scorecam.scorecam",
        "Score-CAM as the MATLAB example computes it: gentler weights, the map moves less "
        "between classes.",
        "The MATLAB example, line for line: softmax over probabilities, normalised masks",
        aliases=("matlab",),
        params=(("weighting", "matlab"),),
        cost=_SCORECAM_COST + "; shares them with the other weightings",
        slow=True,
        approximates=True,
        contrasts=True,
        every_class=True,
        fills=True,
        stops=True,
    ),
    MethodInfo(
        "scorecam-reference",
        "Score-CAM (reference)",
        "score-cam",
        "scorecam.scorecam",
        "Score-CAM as its authors' code computes it: the class probabilities are the weights.",
        "The authors' released code: the probabilities themselves as weights",
        aliases=("reference",),
        params=(("weighting", "reference"),),
        cost=_SCORECAM_COST + "; shares them with the other weightings",
        slow=True,
        approximates=True,
        contrasts=True,
        every_class=True,
        fills=True,
        stops=True,
    ),
    MethodInfo(
        "sscam",
        "SS-CAM",
        "score-cam",
        "scorecam.sscam",
        "Score-CAM with noise added to each mask, its scores averaged over many noisy copies: "
        "a smoother map, at many times the cost.",
        "Wang et al. 2020, Smoothed Score-CAM: N = 35 noisy masks, sigma 2 (torch-cam SSCAM, "
        "the same noise for the same seed)",
        aliases=("ss-cam",),
        cost="35 passes a varying feature map (18 515 on the bundled network's default layer)",
        slow=True,
        contrasts=True,
        every_class=True,
        fills=True,
        stops=True,
    ),
    MethodInfo(
        "iscam",
        "IS-CAM",
        "score-cam",
        "scorecam.iscam",
        "Score-CAM with each mask tried at ten strengths, its scores averaged: steadier "
        "weights, at ten times the cost.",
        "Naidu et al. 2020, Integrated Score-CAM: N = 10 scaled masks (torch-cam ISCAM)",
        aliases=("is-cam",),
        cost="10 passes a distinct varying feature map (4 821 on the bundled network's default "
        "layer)",
        slow=True,
        contrasts=True,
        every_class=True,
        fills=True,
        stops=True,
    ),
    MethodInfo(
        "groupcam",
        "Group-CAM",
        "score-cam",
        "scorecam.groupcam",
        "Score-CAM on 32 groups of feature maps, weighted by their gradients, against a blurred "
        "photo: close to Score-CAM at a tenth of the cost.",
        "Zhang et al. 2021: G = 32 groups, 70th-percentile denoising, blurred baseline "
        "(no peer implements it)",
        aliases=("group-cam",),
        cost="1 forward and 1 backward pass, then 33 passes",
        # Its scores are gains in probability over the blurred photo: in bf16 the map fell to
        # 0.982 of fp32's on one photo of 20 (docs/speed.md); 33 passes in fp32 cost little.
        needs=frozenset({"full-precision"}),
        stops=True,
    ),
    MethodInfo(
        "gradcam",
        "Grad-CAM",
        "gradient",
        "gradient.gradcam",
        "Weighs each feature map by how steeply the class score rises with it.",
        "Selvaraju et al. 2017: channel weights = mean gradient (pytorch-grad-cam GradCAM)",
        cost="1 forward and 1 backward pass",
        contrasts=True,
    ),
    MethodInfo(
        "gradcam++",
        "Grad-CAM++",
        "gradient",
        "gradient.gradcampp",
        "Like Grad-CAM, but gives small parts of the object their share, not only the "
        "strongest one.",
        "Chattopadhay et al. 2018: weights from positive gradients "
        "(pytorch-grad-cam GradCAMPlusPlus)",
        aliases=("gradcampp",),
        cost="1 forward and 1 backward pass",
        contrasts=True,
    ),
    MethodInfo(
        "xgradcam",
        "XGrad-CAM",
        "gradient",
        "gradient.xgradcam",
        "Like Grad-CAM, but each map's gradient is averaged where the map itself is strong.",
        "Fu et al. 2020, Axiom-based Grad-CAM (pytorch-grad-cam XGradCAM)",
        aliases=("xgrad-cam",),
        cost="1 forward and 1 backward pass",
        contrasts=True,
    ),
    MethodInfo(
        "layercam",
        "LayerCAM",
        "gradient",
        "gradient.layercam",
        "Weighs every spot of every feature map by its own positive gradient: finer detail "
        "than Grad-CAM.",
        "Jiang et al. 2021 (pytorch-grad-cam LayerCAM)",
        aliases=("layer-cam",),
        cost="1 forward and 1 backward pass",
        contrasts=True,
    ),
    MethodInfo(
        "hirescam",
        "HiResCAM",
        "gradient",
        "gradient.hirescam",
        "Gradient times feature map, spot by spot: shows exactly the parts the class score is "
        "made of at this layer.",
        "Draelos & Carin 2020 (pytorch-grad-cam HiResCAM)",
        aliases=("hires-cam",),
        cost="1 forward and 1 backward pass",
        contrasts=True,
    ),
    MethodInfo(
        "eigencam",
        "Eigen-CAM",
        "activation",
        "activation.eigencam",
        "The feature maps' main common pattern: what the layer sees most, the same for every "
        "class.",
        "Muhammad & Yeasin 2020: first principal component, the SVD's sign "
        "(pytorch-grad-cam EigenCAM)",
        aliases=("eigen-cam",),
        cost="1 forward pass",
    ),
    MethodInfo(
        "ablationcam",
        "Ablation-CAM",
        "activation",
        "activation.ablationcam",
        "Switches each feature map off in turn and weighs it by how much the class score falls.",
        "Desai & Ramaswamy 2020 (pytorch-grad-cam AblationCAM)",
        aliases=("ablation-cam",),
        cost="the rest of the network from the layer on, once a feature map that is not all 0 "
        "plus once unablated (531 on the bundled network's default layer); the photo once a "
        "batch up to the layer",
        slow=False,  # the rest of the network alone: 0.09-0.21 s on the seed's networks
        # Its weights are small falls of the class logit: in bf16 the map fell to 0.9935 of
        # fp32's (EfficientNet-Lite0, 4 of 5 photos below 0.999; docs/methods.md).
        needs=frozenset({"layer-hooks", "full-precision"}),
        contrasts=True,
        every_class=True,
        stops=True,
    ),
    MethodInfo(
        "noise",
        "Noise (chance)",
        "baseline",
        "baseline",
        "Random numbers, the same for every photo: what a method that looks nowhere scores.",
        "Uniform random map, seeded: the chance baseline of every protocol",
        aliases=("random",),
        cost="none",
    ),
)

# What the ranking protocols (evaluate --grid / --sanity) compare when no method is named: every
# method of at most about 35 passes a photo, Score-CAM's weightings (they share their passes) and
# the noise map; SS-CAM, IS-CAM and Ablation-CAM (thousands or hundreds of passes more) only when
# named.
PROTOCOL_METHODS: tuple[str, ...] = (
    "scorecam-paper",
    "scorecam-matlab",
    "scorecam-reference",
    "groupcam",
    "gradcam",
    "gradcam++",
    "xgradcam",
    "layercam",
    "hirescam",
    "eigencam",
    "noise",
)

_BY_NAME: dict[str, MethodInfo] = {}
for _row in METHODS:
    for _key in (_row.name, *_row.aliases):
        assert _key not in _BY_NAME, f"method name '{_key}' is given twice"
        _BY_NAME[_key] = _row


def names(family: str | None = None) -> tuple[str, ...]:
    """The canonical names, in catalog order (of one family if given)."""
    return tuple(m.name for m in METHODS if family is None or m.family == family)


def accepted() -> tuple[str, ...]:
    """Every spelling accepted on input: the names, then the aliases."""
    return (*names(), *(a for m in METHODS for a in m.aliases))


def canonical(name: str) -> str:
    """The canonical name of `name` or one of its aliases; ValueError (one line) otherwise."""
    row = _BY_NAME.get(name.strip().lower())
    if row is None:
        raise ValueError(f"unknown method '{name}': use {', '.join(names())}")
    return row.name


def info(name: str) -> MethodInfo:
    """The catalog row of a name or alias."""
    return _BY_NAME[canonical(name)]


def not_applicable(name: str) -> frozenset[str]:
    """The record's fields (engine/record.py, docs/record.md) that a method has no value for, so
    its records say null there: a weighting (Score-CAM's rows), a fill (methods that mask the
    photo), feature maps scored one by one (the rows that take --approximate), an early stop."""
    row = info(name)
    fields: set[str] = set()
    if "weighting" not in row.options:
        fields.add("weighting")
    if not row.fills:
        fields.add("fill")
    if not row.approximates:
        fields |= {"maps_total", "maps_evaluated", "approximate_maps"}
    if not row.stops:
        fields |= {"approximate", "stopped"}
    return frozenset(fields)


def check_methods(methods: Sequence[str], known: Sequence[str] | None = None) -> None:
    """ValueError (one line) unless `methods` are at least one, each a canonical name (of
    `known` if given)."""
    allowed = names() if known is None else tuple(known)
    unknown = [m for m in methods if m not in allowed]
    if unknown:
        raise ValueError(f"unknown method '{unknown[0]}': use {', '.join(allowed)}")
    if not methods:
        raise ValueError("no method to compare")
