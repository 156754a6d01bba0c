"""Top-level X11 windows and their map state, read with libX11 through ctypes (no dependency).

Used by bench_gui.py to time a launch from outside the process: a window is on screen when the X
server reports it viewable (mapped, and every ancestor mapped). Linux/X11 only (Xvfb works).
"""

from __future__ import annotations

import ctypes
import ctypes.util

_IS_VIEWABLE = 2
_ANY_PROPERTY_TYPE = 0


class _WindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("border_width", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p),
        ("root", ctypes.c_ulong),
        ("c_class", ctypes.c_int),
        ("bit_gravity", ctypes.c_int),
        ("win_gravity", ctypes.c_int),
        ("backing_store", ctypes.c_int),
        ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong),
        ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong),
        ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int),
        ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long),
        ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int),
        ("screen", ctypes.c_void_p),
    ]


# A window can vanish between listing and reading it (BadWindow); Xlib's default handler would
# exit this process, so errors are ignored and the window is skipped.
_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
_ignore_errors = _ERROR_HANDLER(lambda _display, _event: 0)


class X11Display:
    """A connection to $DISPLAY that lists the viewable top-level windows by title."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("X11") or "libX11.so.6"
        x = ctypes.cdll.LoadLibrary(name)
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XInternAtom.restype = ctypes.c_ulong
        x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        x.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong] + [ctypes.c_void_p] * 4
        x.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p]
        x.XGetWindowProperty.argtypes = [
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.c_ulong,
            ctypes.c_long,
            ctypes.c_long,
            ctypes.c_int,
            ctypes.c_ulong,
        ] + [ctypes.c_void_p] * 5
        x.XFree.argtypes = [ctypes.c_void_p]
        x.XSetErrorHandler(_ignore_errors)
        self._x = x
        self._display = x.XOpenDisplay(None)
        if not self._display:
            raise RuntimeError("cannot open the X display: run under xvfb-run -a")
        self._root = x.XDefaultRootWindow(self._display)
        self._net_wm_name = x.XInternAtom(self._display, b"_NET_WM_NAME", 0)
        self._wm_name = x.XInternAtom(self._display, b"WM_NAME", 0)

    def close(self) -> None:
        if self._display:
            self._x.XCloseDisplay(ctypes.c_void_p(self._display))
            self._display = None

    def _children(self) -> list[int]:
        root, parent = ctypes.c_ulong(), ctypes.c_ulong()
        children = ctypes.POINTER(ctypes.c_ulong)()
        count = ctypes.c_uint()
        ok = self._x.XQueryTree(
            self._display,
            self._root,
            ctypes.byref(root),
            ctypes.byref(parent),
            ctypes.byref(children),
            ctypes.byref(count),
        )
        if not ok:
            return []
        windows = [children[i] for i in range(count.value)]
        if children:
            self._x.XFree(children)
        return windows

    def _title(self, window: int) -> str:
        for atom in (self._net_wm_name, self._wm_name):
            kind, fmt = ctypes.c_ulong(), ctypes.c_int()
            items, after = ctypes.c_ulong(), ctypes.c_ulong()
            data = ctypes.POINTER(ctypes.c_ubyte)()
            status = self._x.XGetWindowProperty(
                self._display,
                window,
                atom,
                0,
                1024,
                0,
                _ANY_PROPERTY_TYPE,
                ctypes.byref(kind),
                ctypes.byref(fmt),
                ctypes.byref(items),
                ctypes.byref(after),
                ctypes.byref(data),
            )
            if status != 0 or not data:
                continue
            text = ctypes.string_at(data, items.value).decode("utf-8", "replace")
            self._x.XFree(data)
            if text:
                return text
        return ""

    def viewable(self) -> list[tuple[int, str]]:
        """(id, title) of each top-level window that is viewable now."""
        found = []
        for window in self._children():
            attributes = _WindowAttributes()
            if not self._x.XGetWindowAttributes(self._display, window, ctypes.byref(attributes)):
                continue
            if attributes.map_state == _IS_VIEWABLE:
                found.append((window, self._title(window)))
        return found
