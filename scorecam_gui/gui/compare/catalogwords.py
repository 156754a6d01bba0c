"""The words of the engine's method catalog that the Compare tab shows, marked for the
catalogue (engine/methods/catalog.py: the engine has no translations). Looked up by the
catalog's own English (compare/panel.py: `translate("MethodCatalog", row.summary)`); only
pyside6-lupdate reads this module, and tests/gui/test_translations.py keeps it in step."""

from __future__ import annotations

from ...app.translation import QT_TRANSLATE_NOOP

# The family headings (catalog.FAMILIES).
FAMILY_HEADINGS = (
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Score-CAM family: each feature map masks the photo, the network scores it",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Gradient methods: one backward pass from the class score",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Without gradients: the feature maps themselves, or each one switched off",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Baseline: a map that knows nothing of the photo",
    ),
)
# Each method's summary in plain words (the check box's tooltip).
METHOD_SUMMARIES = (
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Masks the photo with each feature map and weighs each map by how much the network "
        "still sees the class in it.",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Score-CAM as the MATLAB example computes it: gentler weights, the map moves less "
        "between classes.",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Score-CAM as its authors' code computes it: the class probabilities are the weights.",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Score-CAM with noise added to each mask, its scores averaged over many noisy copies:"
        " a smoother map, at many times the cost.",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Score-CAM with each mask tried at ten strengths, its scores averaged: steadier "
        "weights, at ten times the cost.",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Score-CAM on 32 groups of feature maps, weighted by their gradients, against a "
        "blurred photo: close to Score-CAM at a tenth of the cost.",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Weighs each feature map by how steeply the class score rises with it.",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Like Grad-CAM, but gives small parts of the object their share, not only the "
        "strongest one.",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Like Grad-CAM, but each map's gradient is averaged where the map itself is strong.",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Weighs every spot of every feature map by its own positive gradient: finer detail "
        "than Grad-CAM.",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Gradient times feature map, spot by spot: shows exactly the parts the class score is"
        " made of at this layer.",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "The feature maps' main common pattern: what the layer sees most, the same for every "
        "class.",
    ),
    QT_TRANSLATE_NOOP(
        "MethodCatalog",
        "Switches each feature map off in turn and weighs it by how much the class score falls.",
    ),
)
