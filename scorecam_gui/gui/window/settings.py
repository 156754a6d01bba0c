"""What the app remembers between runs, in QSettings groups (window, network, options, files)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from ...app.options import Options
from ...choices import DEVICES, FILLS, PRECISIONS, WEIGHTINGS

ORGANIZATION = "ScoreCAM Studio"
APPLICATION = "Score-CAM Studio"
MAX_RECENT = 12


def _str_list(value: Any) -> list[str]:
    # INI files give back a str for one-element lists and None for empty ones.
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


class Settings:
    """Typed access to the settings; unknown or broken values fall back to defaults."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings if qsettings is not None else QSettings(ORGANIZATION, APPLICATION)

    def _get(self, group: str, key: str, default: Any = None, kind: type | None = None) -> Any:
        self.q.beginGroup(group)
        try:
            if kind is None:
                return self.q.value(key, default)
            try:
                return self.q.value(key, default, type=kind)
            except (TypeError, ValueError):
                return default
        finally:
            self.q.endGroup()

    def _set(self, group: str, key: str, value: Any) -> None:
        self.q.beginGroup(group)
        try:
            if value is None:
                self.q.remove(key)
            else:
                self.q.setValue(key, value)
        finally:
            self.q.endGroup()

    def sync(self) -> None:
        self.q.sync()

    # -- window ---------------------------------------------------------------------------------
    def window_state(self, key: str) -> QByteArray | None:
        value = self._get("window", key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_state(self, key: str, value: QByteArray) -> None:
        self._set("window", key, value)

    # -- network --------------------------------------------------------------------------------
    def network(self, default: str) -> str:
        return str(self._get("network", "name", default, str) or default)

    def set_network(self, name: str) -> None:
        self._set("network", "name", name)

    def layer(self, network: str) -> str | None:
        value = self._get("network/layers", network, "", str)
        return value or None

    def set_layer(self, network: str, layer: str | None) -> None:
        self._set("network/layers", network, layer)

    def imported_weights(self, network: str) -> tuple[str, str | None] | None:
        """The weights file (and labels file) imported for this network, if any."""
        weights = self._get("network/weights", network, "", str)
        if not weights:
            return None
        labels = self._get("network/labels", network, "", str)
        return weights, labels or None

    def set_imported_weights(self, network: str, weights: str | None, labels: str | None) -> None:
        self._set("network/weights", network, weights)
        self._set("network/labels", network, labels)

    def model_files(self) -> list[str]:
        """Model files opened with "Open Model File…", the latest first."""
        return _str_list(self._get("network", "model_files", []))

    def set_model_files(self, paths: list[str]) -> None:
        self._set("network", "model_files", paths)

    # -- options --------------------------------------------------------------------------------
    def options(self) -> Options:
        default = Options()
        weighting = self._get("options", "weighting", default.weighting, str)
        fill = self._get("options", "fill", default.fill, str)
        batch = self._get("options", "batch_size", 0, int)
        device = self._get("options", "device", default.device, str)
        precision = self._get("options", "precision", default.precision, str)
        return Options(
            weighting=weighting if weighting in WEIGHTINGS else default.weighting,
            fill=fill if fill in FILLS else default.fill,
            batch_size=batch if isinstance(batch, int) and batch > 0 else None,
            device=device if device in DEVICES else default.device,
            precision=precision if precision in PRECISIONS else default.precision,
        )

    def set_options(self, options: Options) -> None:
        self._set("options", "weighting", options.weighting)
        self._set("options", "fill", options.fill)
        self._set("options", "batch_size", options.batch_size or 0)
        self._set("options", "device", options.device)
        self._set("options", "precision", options.precision)

    def advanced_open(self) -> bool:
        return bool(self._get("options", "advanced_open", False, bool))

    def set_advanced_open(self, value: bool) -> None:
        self._set("options", "advanced_open", value)

    def details_shown(self) -> bool | None:
        """Whether the panels below the photo were unfolded when the window last closed (None:
        never saved, a first start)."""
        value = self._get("window", "details_shown")
        return None if value is None else str(value).lower() in ("true", "1")

    def set_details_shown(self, value: bool) -> None:
        self._set("window", "details_shown", value)

    # -- rendering ------------------------------------------------------------------------------
    def render(self) -> dict[str, Any]:
        mode = self._get("render", "mode", "matlab", str)
        colormap = self._get("render", "colormap", "jet", str)
        opacity = self._get("render", "opacity", 50, int)
        return {
            "mode": mode if mode in ("matlab", "blend") else "matlab",
            "colormap": colormap,
            "opacity": min(100, max(0, opacity if isinstance(opacity, int) else 50)),
        }

    def set_render(self, mode: str, colormap: str, opacity_percent: int) -> None:
        self._set("render", "mode", mode)
        self._set("render", "colormap", colormap)
        self._set("render", "opacity", opacity_percent)

    # -- files ----------------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        return _str_list(self._get("files", "recent"))[:MAX_RECENT]

    def set_recent_files(self, paths: list[str]) -> None:
        self._set("files", "recent", list(paths)[:MAX_RECENT])

    def folder(self, key: str) -> str:
        return str(self._get("files", key, "", str) or "")

    def set_folder(self, key: str, folder: str) -> None:
        self._set("files", key, folder)
