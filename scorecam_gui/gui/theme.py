"""The look: Fusion with a dark, neutral palette so heat maps read well on every platform."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

# Named colours, also used by widgets that paint themselves.
WINDOW = "#1e2024"
PANEL = "#25282d"
BASE = "#17191c"
CANVAS = "#111214"
BORDER = "#363a41"
TEXT = "#e4e6ea"
MUTED = "#9aa0a9"
DISABLED = "#676c74"
HINT = "#868c95"  # hints must stay readable (contrast about 4.5:1 on the panels)
ACCENT = "#4c9aff"
ACCENT_DARK = "#2f6fd1"
FOCUS = "#9cc7ff"  # keyboard focus: a light ring that shows on the accent blue, too
WARN = "#f0b44c"
ERROR = "#f06a5f"
OK = "#5fce8a"

STYLESHEET = f"""
QMainWindow, QDialog {{ background: {WINDOW}; }}
QWidget#SidePanel, QWidget#RightPanel, QWidget#BottomPanel {{ background: {PANEL}; }}
QLabel#SectionTitle {{
    color: {MUTED}; font-weight: 600; letter-spacing: 0.6px; padding: 2px 0 0 0;
}}
QLabel#Heading {{ font-size: 15pt; font-weight: 600; color: {TEXT}; }}
QLabel#Subheading, QLabel#Caption {{ color: {MUTED}; }}
QLabel#Hint {{ color: {HINT}; }}
QLabel#Warning {{ color: {WARN}; }}
QPushButton {{
    background: #30343a; border: 1px solid {BORDER}; border-radius: 5px;
    padding: 5px 12px; color: {TEXT};
}}
QPushButton:hover {{ background: #383d44; }}
QPushButton:pressed {{ background: #2a2d32; }}
QPushButton:checked {{ background: {ACCENT_DARK}; border-color: {ACCENT}; }}
QPushButton:disabled {{ color: {DISABLED}; background: #2a2c30; }}
QPushButton#Primary {{
    background: {ACCENT_DARK}; border-color: {ACCENT}; font-weight: 600; padding: 7px 14px;
}}
QPushButton#Primary:hover {{ background: {ACCENT}; }}
QPushButton#Primary:disabled {{
    background: #2a2c30; border-color: {BORDER}; color: {DISABLED}; font-weight: 600;
}}
QPushButton:focus {{ border: 2px solid {FOCUS}; padding: 4px 11px; }}
QToolButton:focus {{ border: 2px solid {FOCUS}; }}
QPushButton#Primary:focus {{ border: 2px solid {TEXT}; padding: 6px 13px; }}
QPushButton#Link:focus {{ border: none; text-decoration: underline; color: {FOCUS}; }}
QCheckBox:focus, QRadioButton:focus {{ color: {FOCUS}; }}
QListWidget:focus, QListView:focus {{ border: 1px solid {FOCUS}; }}
QSlider::handle:horizontal:focus {{ background: {FOCUS}; }}
QPushButton#Link {{
    background: transparent; border: none; color: {ACCENT}; padding: 2px 0; text-align: left;
}}
QPushButton#Link:hover {{ text-decoration: underline; }}
QToolButton#Disclosure {{
    background: transparent; border: none; color: {MUTED}; font-weight: 600; padding: 4px 0;
}}
QComboBox, QSpinBox, QLineEdit {{
    background: {BASE}; border: 1px solid {BORDER}; border-radius: 4px; padding: 4px 6px;
    color: {TEXT}; selection-background-color: {ACCENT_DARK};
}}
QComboBox:focus, QSpinBox:focus, QLineEdit:focus {{ border: 2px solid {FOCUS}; padding: 3px 5px; }}
QComboBox QAbstractItemView {{
    background: {BASE}; border: 1px solid {BORDER}; selection-background-color: {ACCENT_DARK};
}}
QListWidget, QListView {{
    background: {BASE}; border: 1px solid {BORDER}; border-radius: 4px; outline: none;
}}
QTabWidget::pane {{ border: none; border-top: 1px solid {BORDER}; }}
QTabBar::tab {{
    background: transparent; color: {MUTED}; padding: 6px 16px; border: none;
    border-bottom: 2px solid transparent;
}}
QTabBar::tab:selected {{ color: {TEXT}; border-bottom: 2px solid {ACCENT}; }}
QTabBar::tab:hover {{ color: {TEXT}; }}
QProgressBar {{
    background: {BASE}; border: 1px solid {BORDER}; border-radius: 4px; height: 12px;
    text-align: center; color: transparent;
}}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 3px; }}
QSlider::groove:horizontal {{ height: 4px; background: {BORDER}; border-radius: 2px; }}
QSlider::sub-page:horizontal {{ background: {ACCENT}; border-radius: 2px; }}
QSlider::handle:horizontal {{
    background: {TEXT}; width: 14px; height: 14px; margin: -5px 0; border-radius: 7px;
}}
QSlider::handle:horizontal:disabled {{ background: {DISABLED}; }}
QSplitter::handle {{ background: {WINDOW}; }}
QSplitter::handle:hover {{ background: {BORDER}; }}
QStatusBar {{ background: {PANEL}; border-top: 1px solid {BORDER}; color: {MUTED}; }}
QStatusBar::item {{ border: none; }}
QMenuBar {{ background: {WINDOW}; }}
QMenuBar::item:selected {{ background: #33373d; }}
QMenu {{ background: {PANEL}; border: 1px solid {BORDER}; }}
QMenu::item:selected {{ background: {ACCENT_DARK}; }}
QToolTip {{ background: {PANEL}; color: {TEXT}; border: 1px solid {BORDER}; padding: 4px; }}
QFrame#Banner {{ border-radius: 5px; }}
QFrame#Banner[level="error"] {{ background: #4a2326; border: 1px solid {ERROR}; }}
QFrame#Banner[level="warning"] {{ background: #47391f; border: 1px solid {WARN}; }}
QFrame#Banner[level="info"] {{ background: #1f3350; border: 1px solid {ACCENT}; }}
QFrame#Separator {{ background: {BORDER}; max-height: 1px; }}
QScrollArea {{ border: none; background: transparent; }}
"""


def palette() -> QPalette:
    """The application palette (Fusion draws from it; the stylesheet refines a few widgets)."""
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: WINDOW,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: BASE,
        QPalette.ColorRole.AlternateBase: PANEL,
        QPalette.ColorRole.ToolTipBase: PANEL,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: DISABLED,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: "#30343a",
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Highlight: ACCENT_DARK,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: ACCENT,
        QPalette.ColorRole.Light: "#3a3e45",
        QPalette.ColorRole.Midlight: "#33363c",
        QPalette.ColorRole.Mid: BORDER,
        QPalette.ColorRole.Dark: "#141518",
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(DISABLED))
    return pal


def apply(app: QApplication) -> None:
    """Style the whole application."""
    app.setStyle("Fusion")
    app.setPalette(palette())
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    font.setHintingPreference(QFont.HintingPreference.PreferVerticalHinting)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)


def section_title(text: str) -> str:
    """Section titles are set in small capitals-like upper case."""
    return text.upper()
