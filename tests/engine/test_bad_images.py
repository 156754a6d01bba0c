"""load_image against the files people actually drop onto the window, good and bad."""

from __future__ import annotations

import io
import os
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms

from scorecam_gui.engine.imaging import ImageLoadError, load_image, load_image_bytes


def _noise(width: int, height: int, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8))


def _encoded(image: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **params)
    return buf.getvalue()


def _first_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _png_with_size(width: int, height: int) -> bytes:
    """A real 1x1 PNG whose IHDR then claims another size (with a valid CRC)."""
    data = bytearray(_encoded(Image.new("RGB", (1, 1), (1, 2, 3)), "PNG"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def _assert_load_error(path: Path, reason: str) -> ImageLoadError:
    with pytest.raises(ImageLoadError) as info:
        load_image(path)
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    assert path.name in message, message
    assert "\n" not in message and "\r" not in message
    assert reason in message, message
    return info.value


# --- files that must be refused, each with its reason -------------------------------------------

BAD_FILES: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty.jpg": (lambda: b"", "empty file"),
    "notes.jpg": (lambda: b"These are my holiday notes, not a photo.\n" * 20, "not an image file"),
    "truncated.png": (lambda: _first_half(_encoded(_noise(64, 64), "PNG")), "truncated or corrupt"),
    "truncated.jpg": (
        lambda: _first_half(_encoded(_noise(64, 64), "JPEG")),
        "truncated or corrupt",
    ),
    # 100 M pixels: over Pillow's limit (89.5 M), under twice it (where Pillow itself raises).
    "bomb_warning.png": (
        lambda: _png_with_size(10_000, 10_000),
        "image too large (100000000 pixels",
    ),
    "bomb_error.png": (lambda: _png_with_size(30_000, 30_000), "image too large (900000000 pixels"),
    "zero_size.png": (lambda: _png_with_size(0, 5), "not an image file"),
    # EPS would run Ghostscript: refused outright.
    "drawing.eps": (lambda: b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "not an image"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_a_one_line_error(tmp_path: Path, name: str) -> None:
    make, reason = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(make())
    _assert_load_error(path, reason)


def test_bomb_message_names_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_with_size(10_000, 10_000))
    error = _assert_load_error(path, "image too large")
    assert error.reason == f"image too large (100000000 pixels; limit {Image.MAX_IMAGE_PIXELS})"


def test_missing_file(tmp_path: Path) -> None:
    _assert_load_error(tmp_path / "gone.jpg", "file not found")


def test_folder(tmp_path: Path) -> None:
    folder = tmp_path / "holiday.jpg"
    folder.mkdir()
    _assert_load_error(folder, "is a folder")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    _assert_load_error(fifo, "not a regular file")


@pytest.mark.file_permissions
def test_no_read_permission(tmp_path: Path) -> None:
    path = tmp_path / "secret.png"
    path.write_bytes(_encoded(Image.new("RGB", (2, 2)), "PNG"))
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read anything (root)")
        _assert_load_error(path, "permission denied")
    finally:
        path.chmod(0o600)


@pytest.mark.skipif(sys.platform == "win32", reason="Windows file names cannot hold a newline")
def test_newline_in_the_name_keeps_the_message_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "two\nlines.jpg"
    path.write_bytes(b"text")
    with pytest.raises(ImageLoadError) as info:
        load_image(path)
    assert "\n" not in str(info.value) and "lines.jpg" in str(info.value)


def test_empty_pasted_data_names_the_clipboard() -> None:
    with pytest.raises(ImageLoadError, match=r"^<clipboard>: empty"):
        load_image_bytes(b"")


# --- awkward but legitimate files ---------------------------------------------------------------


def _load_saved(tmp_path: Path, name: str, data: bytes) -> Image.Image:
    path = tmp_path / name
    path.write_bytes(data)
    image = load_image(path)
    assert image.mode == "RGB"
    return image


def test_one_pixel(tmp_path: Path) -> None:
    image = _load_saved(tmp_path, "dot.png", _encoded(Image.new("RGB", (1, 1), (5, 6, 7)), "PNG"))
    assert image.size == (1, 1) and image.getpixel((0, 0)) == (5, 6, 7)


def test_16_bit_grey_is_scaled_not_clipped(tmp_path: Path) -> None:
    values = np.array([[0, 32768, 65535, 1000]], dtype=np.uint16)
    data = _encoded(Image.fromarray(values), "PNG")
    image = _load_saved(tmp_path, "deep.png", data)
    assert [image.getpixel((x, 0)) for x in range(4)] == [
        (0, 0, 0),
        (128, 128, 128),
        (255, 255, 255),
        (4, 4, 4),
    ]


def test_float_tiff_is_scaled(tmp_path: Path) -> None:
    values = np.array([[0.0, 0.5, 1.0]], dtype=np.float32)
    image = _load_saved(tmp_path, "float.tif", _encoded(Image.fromarray(values), "TIFF"))
    assert [image.getpixel((x, 0))[0] for x in range(3)] == [0, 128, 255]


def test_cmyk_jpeg(tmp_path: Path) -> None:
    cmyk = Image.new("CMYK", (16, 16), (0, 255, 255, 0))  # pure red in ink
    image = _load_saved(tmp_path, "print.jpg", _encoded(cmyk, "JPEG", quality=95))
    r, g, b = image.getpixel((8, 8))
    assert r > 240 and g < 15 and b < 15


def _icc_profile(red: tuple[float, float, float], blue: tuple[float, float, float]) -> bytes:
    """A minimal ICC v2 RGB display profile: these primaries (D50 XYZ), sRGB's green, gamma 2.2."""

    def s15(v: float) -> bytes:
        return struct.pack(">i", round(v * 65536))

    def xyz(v: tuple[float, float, float]) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(s15(c) for c in v)

    text = b"swapped primaries"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(text) + 1) + text + b"\0"
    desc += b"\0" * 8 + b"\0\0\0" + b"\0" * 67  # no Unicode, no ScriptCode description
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, round(2.2 * 256)) + b"\0\0"
    tags = [
        (b"desc", desc),
        (b"cprt", b"text\0\0\0\0public domain\0"),
        (b"wtpt", xyz((0.9642, 1.0, 0.8249))),
        (b"rXYZ", xyz(red)),
        (b"gXYZ", xyz((0.3851, 0.7169, 0.0971))),
        (b"bXYZ", xyz(blue)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for sig, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = struct.pack(">I4sI4s4s4s", size, b"\0" * 4, 0x02100000, b"mntr", b"RGB ", b"XYZ ")
    header += b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0)
    header += s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


SRGB_RED, SRGB_BLUE = (0.4361, 0.2225, 0.0139), (0.1431, 0.0606, 0.7141)  # D50-adapted XYZ


def test_embedded_colour_profile_is_applied(tmp_path: Path) -> None:
    # A profile whose "red" channel is sRGB's blue: the pixel values say red, the colour is blue.
    swapped = _icc_profile(red=SRGB_BLUE, blue=SRGB_RED)
    photo = Image.new("RGB", (8, 8), (255, 0, 0))
    for fmt, name in (("PNG", "swapped.png"), ("JPEG", "swapped.jpg"), ("TIFF", "swapped.tif")):
        image = _load_saved(tmp_path, name, _encoded(photo, fmt, icc_profile=swapped))
        r, g, b = image.getpixel((4, 4))
        assert image.mode == "RGB" and r < 20 and g < 20 and b > 235, (fmt, (r, g, b))
    # with alpha: converted, then composited on white (half transparent blue -> light blue)
    rgba = Image.new("RGBA", (8, 8), (255, 0, 0, 128))
    image = _load_saved(tmp_path, "swapped-alpha.png", _encoded(rgba, "PNG", icc_profile=swapped))
    r, g, b = image.getpixel((4, 4))
    assert 120 <= r <= 136 and 120 <= g <= 136 and b > 245
    # an sRGB-tagged photo keeps its exact values; a broken profile is ignored, the photo loads
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    noise = _noise(8, 8)
    image = _load_saved(tmp_path, "srgb.png", _encoded(noise, "PNG", icc_profile=srgb))
    assert np.array_equal(np.asarray(image), np.asarray(noise))
    broken = _load_saved(tmp_path, "broken.png", _encoded(photo, "PNG", icc_profile=b"junk" * 9))
    assert broken.getpixel((4, 4)) == (255, 0, 0)


def test_palette_gif_transparency_becomes_white(tmp_path: Path) -> None:
    gif = Image.new("P", (4, 4), 0)
    gif.putpalette([0, 0, 0, 0, 0, 255] + [0] * 762)
    gif.putpixel((1, 1), 1)
    image = _load_saved(tmp_path, "icon.gif", _encoded(gif, "GIF", transparency=0))
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert image.getpixel((1, 1)) == (0, 0, 255)


def test_animated_gif_gives_the_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (8, 8), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    data = _encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50)
    image = _load_saved(tmp_path, "anim.gif", data)
    assert image.getpixel((4, 4)) == (255, 0, 0)


def test_rgba_png_is_composited_on_white(tmp_path: Path) -> None:
    rgba = np.array([[[255, 0, 0, 0], [0, 0, 255, 255], [0, 0, 0, 128]]], dtype=np.uint8)
    image = _load_saved(tmp_path, "logo.png", _encoded(Image.fromarray(rgba), "PNG"))
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert image.getpixel((1, 0)) == (0, 0, 255)
    assert all(abs(v - 127) <= 1 for v in image.getpixel((2, 0)))


def test_grey_with_alpha_and_palette_with_alpha(tmp_path: Path) -> None:
    la = Image.new("LA", (2, 1), (0, 0))
    la.putpixel((1, 0), (0, 255))
    image = _load_saved(tmp_path, "la.png", _encoded(la, "PNG"))
    assert image.getpixel((0, 0)) == (255, 255, 255) and image.getpixel((1, 0)) == (0, 0, 0)


def test_exif_rotated_jpeg_is_upright(tmp_path: Path) -> None:
    arr = np.zeros((20, 40, 3), dtype=np.uint8)
    arr[...] = (0, 0, 255)
    arr[:10, :10] = (255, 0, 0)  # red top-left corner as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    data = _encoded(Image.fromarray(arr), "JPEG", quality=95, exif=exif)
    image = _load_saved(tmp_path, "phone.jpg", data)
    assert image.size == (20, 40)  # width and height swapped
    # Turned clockwise, the stored top-left corner is now top-right.
    r, _, b = image.getpixel((16, 3))
    assert r > 200 and b < 60
    r, _, b = image.getpixel((3, 3))
    assert r < 60 and b > 200


def test_name_with_spaces_and_non_ascii(tmp_path: Path) -> None:
    data = _encoded(Image.new("RGB", (3, 2), (10, 20, 30)), "PNG")
    image = _load_saved(tmp_path, "mon chat été 猫 (1).png", data)
    assert image.size == (3, 2)


def test_pasted_bytes_load() -> None:
    image = load_image_bytes(_encoded(Image.new("L", (3, 3), 77), "BMP"))
    assert image.mode == "RGB" and image.getpixel((1, 1)) == (77, 77, 77)


@pytest.fixture(scope="session")
def large_jpeg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An 8000 x 6000 (48 M pixel) photo: big, yet under Pillow's limit."""
    image = Image.new("RGB", (8000, 6000), (30, 120, 200))
    image.paste((250, 250, 0), (7000, 5000, 8000, 6000))
    path = tmp_path_factory.mktemp("large") / "large photo.jpg"
    image.save(path, "JPEG", quality=80)
    return path


def test_large_legitimate_jpeg_loads(large_jpeg: Path) -> None:
    image = load_image(large_jpeg)
    assert image.size == (8000, 6000) and image.mode == "RGB"
    assert np.abs(np.subtract(image.getpixel((10, 10)), (30, 120, 200))).max() <= 3
    assert np.abs(np.subtract(image.getpixel((7990, 5990)), (250, 250, 0))).max() <= 3


# --- fuzzing: only ImageLoadError or an RGB image, never anything else ---------------------------

_SEEDS = [
    _encoded(_noise(8, 8, 1), "PNG"),
    _encoded(_noise(8, 8, 2), "JPEG", quality=70),
    _encoded(_noise(8, 8, 3).convert("P"), "GIF"),
    _encoded(_noise(8, 8, 4), "BMP"),
    _encoded(_noise(8, 8, 5).convert("RGBA"), "PNG"),
    _encoded(Image.fromarray(np.arange(64, dtype=np.uint16).reshape(8, 8) * 1000), "PNG"),
    _encoded(_noise(8, 8, 6), "TIFF"),
]


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(_SEEDS)))
    for _ in range(draw(st.integers(0, 6))):
        # Mostly hit the headers, where sizes, modes and offsets live.
        at = draw(st.integers(0, min(len(data), 64) - 1))
        data[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        del data[draw(st.integers(1, len(data))) :]
    return bytes(data)


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.one_of(st.binary(max_size=2048), _mutated()))
def test_fuzz_load_image_bytes(data: bytes) -> None:
    try:
        image = load_image_bytes(data, "fuzz.bin")
    except ImageLoadError as error:
        assert str(error).startswith("fuzz.bin: ") and "\n" not in str(error)
    else:
        assert image.mode == "RGB" and image.width > 0 and image.height > 0
