"""The job's progress in the status bar: a bar, what is happening, and a Cancel button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QSizePolicy, QWidget

from ...app.plainwords import format_eta
from ...app.translation import QT_TRANSLATE_NOOP
from ...timeleft import RemainingTime
from ..widgets import ElidedLabel

__all__ = ["JobProgress", "format_eta"]

# The units the jobs count in (app/jobs.py's Stage.unit), translated where shown.
UNITS = (
    QT_TRANSLATE_NOOP("JobProgress", "maps"),
    QT_TRANSLATE_NOOP("JobProgress", "passes"),
    QT_TRANSLATE_NOOP("JobProgress", "images"),
)


class JobProgress(QWidget):
    cancelClicked = Signal()
    stopHereClicked = Signal()  # keep the map refined so far, marked approximate

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setFixedWidth(220)
        self.bar.setFixedHeight(12)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(self.tr("Progress"))
        self.label = ElidedLabel("")
        self.label.setMinimumWidth(160)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the running job (Esc)"))
        self._remaining = RemainingTime()
        self.cancel_button.clicked.connect(self.cancelClicked)
        self.stop_button = QPushButton(self.tr("Stop here"))
        self.stop_button.setToolTip(
            self.tr(
                "Keep the map as refined so far (marked approximate) and stop scoring masked inputs"
            )
        )
        self.stop_button.clicked.connect(self.stopHereClicked)
        self.stop_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.setSpacing(10)
        layout.addWidget(self.bar)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.stop_button)
        layout.addWidget(self.cancel_button)
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def busy(self, text: str) -> None:
        """A step without measurable progress."""
        self.stop_button.hide()
        self.bar.setRange(0, 0)
        self.label.setText(text)
        self._remaining.reset()
        self.show()

    def bytes(self, text: str, done: int, total: int | None) -> None:
        if total:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * done / total))
        else:
            self.bar.setRange(0, 0)
        self.label.setText(text)
        self.show()

    def maps(
        self,
        done: int,
        total: int,
        rate: float,
        eta: float | None,
        label: str = "Score-CAM",
        unit: str = "maps",
        work: tuple[int, int] | None = None,
        refining: bool = False,
    ) -> None:
        """The engine's Progress: `done` of `total` (maps, or images scored for the metrics).

        `work`: the passes done and to do behind the count (the engine's evaluated/work_total),
        from which the time left is measured (RemainingTime: only once the rate is steady, then
        rounded up). `eta`, the engine's estimate from the rate since the start, is not shown: it
        carries the slow first batches (issue 35). `refining`: a map is on screen and still being
        refined; "Stop here" can keep it."""
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)
        unit = self.tr(unit)
        if refining:
            parts = [
                self.tr("{label}: refining the map, {done} / {total} {unit}").format(
                    label=label, done=done, total=total, unit=unit
                )
            ]
        else:
            parts = [
                self.tr("{label}: {done} / {total} {unit}").format(
                    label=label, done=done, total=total, unit=unit
                )
            ]
        self.stop_button.setVisible(refining and done < total)
        work_done, work_total = work if work is not None else (done, total)
        left = self._remaining.update(work_done, work_total)
        if done < total and left is not None:
            parts.append(format_eta(left))
        self.label.setText(" · ".join(parts))
        if rate > 0:
            self.label.set_details(
                self.tr("{rate} {unit}/s on average").format(rate=f"{rate:.0f}", unit=unit)
            )
        self.show()

    def idle(self) -> None:
        self.stop_button.hide()
        self.hide()
