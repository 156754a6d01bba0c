"""Loading photos robustly, resizing them for a network, and drawing heat maps over them.

No Qt and no matplotlib here: the GUI, the command line and tests share these functions.
"""

from __future__ import annotations

import io
import math
import os
import re
import stat
import threading
import warnings
from collections.abc import Iterator
from typing import IO

import numpy as np
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from scorecam_gui.engine import safe_read
from scorecam_gui.engine.colormaps import colormap_lut, matlab_jet

__all__ = [
    "IMAGE_SUFFIXES",
    "ImageLoadError",
    "load_image",
    "load_image_bytes",
    "render_blend",
    "render_matlab_overlay",
    "resize_for_network",
    "resize_map",
]

Image.init()  # register every plugin now, so the format lists below are complete

# EPS is decoded by running Ghostscript on the file: never on a file a user merely dropped in.
# MPEG is only identified (there is no decoder), so Pillow would return a blank picture.
_REFUSED_FORMATS = frozenset({"EPS", "MPEG"})
_OPEN_FORMATS: tuple[str, ...] = tuple(sorted(set(Image.OPEN) - _REFUSED_FORMATS))


def _decodable(fmt: str) -> bool:
    if fmt == "MPO":  # multi-picture JPEG: the JPEG plugin opens it
        return True
    if fmt not in _OPEN_FORMATS:
        return False
    factory = Image.OPEN[fmt][0]
    # Stub formats (BUFR, GRIB, HDF5, WMF) decode only with an extra handler installed.
    return not (isinstance(factory, type) and issubclass(factory, ImageFile.StubImageFile))


#: File name suffixes (lower case, with the dot) of the formats load_image can decode; for the
#: filter of a file dialog.
IMAGE_SUFFIXES: tuple[str, ...] = tuple(
    sorted(ext for ext, fmt in Image.registered_extensions().items() if _decodable(fmt))
)

# MATLAB rgb2gray's weights (BT.601 luma, as MATLAB documents them to full precision).
_GRAY_WEIGHTS = (0.298936021293775, 0.587043074451121, 0.114020904255103)

# catch_warnings() swaps the process-wide filter list; two threads doing it at once could leave the
# wrong filters behind, so decoding holds this lock.
_DECODE_LOCK = threading.Lock()

_CHUNK_PIXELS = 1 << 20  # row blocks of about a million pixels bound temporary float arrays


class ImageLoadError(ValueError):
    """A file or pasted data that cannot be shown as a photo; ``str()`` is one line naming it."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{_one_line(self.path)}: {reason}")


PHOTO_TOO_LARGE = (
    f"larger than {safe_read.megabytes(safe_read.PHOTO_LIMIT)}, the limit for a photo file"
)


def _one_line(text: str) -> str:
    # A file name may legally hold a newline; the message must stay one line.
    # Control characters (a newline, CR, ESC) as escapes, the rest as it is.
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


def load_image(path: str | os.PathLike[str]) -> Image.Image:
    """Load a photo as an RGB image, upright (EXIF orientation applied), transparency on white.

    Raises ImageLoadError (a ValueError) for anything that is not a readable image.
    """
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except (FileNotFoundError, NotADirectoryError):
        raise ImageLoadError(name, "file not found") from None
    except PermissionError:
        raise ImageLoadError(name, "permission denied") from None
    except ValueError:  # e.g. an embedded NUL character
        raise ImageLoadError(name, "invalid file name") from None
    except OSError as exc:
        raise ImageLoadError(name, f"cannot read file ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ImageLoadError(name, "is a folder")
    if not stat.S_ISREG(info.st_mode):
        # Opening a FIFO or a device would block or read forever.
        raise ImageLoadError(name, "not a regular file")
    if info.st_size > safe_read.PHOTO_LIMIT:  # a sparse 8 GB file would be read whole
        raise ImageLoadError(name, PHOTO_TOO_LARGE)
    try:
        with open(name, "rb") as fp:
            if os.fstat(fp.fileno()).st_size == 0:
                raise ImageLoadError(name, "empty file")
            return _decode(fp, name)
    except FileNotFoundError:
        raise ImageLoadError(name, "file not found") from None
    except PermissionError:
        raise ImageLoadError(name, "permission denied") from None
    except IsADirectoryError:
        raise ImageLoadError(name, "is a folder") from None
    except OSError as exc:
        raise ImageLoadError(name, f"cannot read file ({exc.strerror or exc})") from None


def load_image_bytes(
    data: bytes | bytearray | memoryview, name: str = "<clipboard>"
) -> Image.Image:
    """Like load_image, for image file data in memory (pasted or dropped).

    ``name`` stands for the data in error messages.
    """
    if len(data) == 0:
        raise ImageLoadError(name, "empty file")
    return _decode(io.BytesIO(bytes(data)), name)


def _decode(fp: IO[bytes], name: str) -> Image.Image:
    with _DECODE_LOCK, warnings.catch_warnings():
        # Other decoder warnings (odd EXIF, odd chunks) say nothing a user can act on; the
        # decompression-bomb warning must stop the load instead of printing a line.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        img: Image.Image | None = None
        try:
            img = Image.open(fp, formats=_OPEN_FORMATS)
            img.load()  # decode everything here, so that truncated data fails inside this try
            if img.width < 1 or img.height < 1:
                raise ImageLoadError(name, "image has no pixels")
            img = _upright(img)
            return _to_rgb(img, name)
        except ImageLoadError:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise ImageLoadError(name, _too_large(exc)) from exc
        except UnidentifiedImageError as exc:
            raise ImageLoadError(name, "not an image file (cannot identify image)") from exc
        except MemoryError as exc:
            raise ImageLoadError(name, "not enough memory to decode the image") from exc
        except Exception as exc:
            # Decoders fed hostile data raise anything (OSError, SyntaxError, struct.error,
            # IndexError, ...): all mean the same to the user.
            if isinstance(img, ImageFile.StubImageFile):
                raise ImageLoadError(name, f"unsupported image format ({img.format})") from exc
            raise ImageLoadError(name, "truncated or corrupt image data") from exc


def _too_large(exc: Exception) -> str:
    limit = Image.MAX_IMAGE_PIXELS
    match = re.search(r"\((\d+) pixels\)", str(exc))
    if match:
        return f"image too large ({match.group(1)} pixels; limit {limit})"
    return f"image too large (limit {limit} pixels)"


def _upright(img: Image.Image) -> Image.Image:
    try:
        orientation = img.getexif().get(0x0112, 1)  # EXIF Orientation tag
        if orientation in (2, 3, 4, 5, 6, 7, 8):
            return ImageOps.exif_transpose(img)
    except Exception:
        pass  # broken EXIF: the pixels themselves are fine, show them as stored
    return img


def _to_rgb(img: Image.Image, name: str) -> Image.Image:
    mode = img.mode
    if mode in ("I", "F") or mode.startswith("I;16"):
        return _high_depth_to_rgb(img)
    converted = _profile_to_srgb(img)
    if converted is not None:
        return converted
    has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
    try:
        if has_alpha:
            rgba = img.convert("RGBA")
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            return Image.alpha_composite(white, rgba).convert("RGB")
        if mode == "RGB":
            return img
        return img.convert("RGB")
    except ValueError as exc:
        raise ImageLoadError(name, f"unsupported colour mode {mode}") from exc


_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_PROFILE_MODES = {"RGB": "RGB", "RGBA": "RGB", "CMYK": "CMYK", "L": "L", "LA": "L"}


def _profile_to_srgb(img: Image.Image) -> Image.Image | None:
    """The photo in sRGB through its embedded ICC profile (Display P3 phone photos, Adobe RGB,
    print CMYK), composited on white; None where it has no usable profile or is sRGB already.

    The networks were trained on sRGB pictures, and the overlay is shown as sRGB. A profile that
    lcms cannot read or apply is ignored: the pixels are still good, only their colours less so.
    """
    icc = img.info.get("icc_profile")
    mode = _PROFILE_MODES.get(img.mode)
    if not icc or mode is None:
        return None
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in (ImageCms.getProfileDescription(source) or "").lower().replace(" ", ""):
            return None
        colours = img if img.mode == mode else img.convert(mode)
        rgb = ImageCms.profileToProfile(
            colours, source, _SRGB, ImageCms.Intent.PERCEPTUAL, outputMode="RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    if rgb is None or img.mode not in ("RGBA", "LA"):
        return rgb
    white = Image.new("RGB", img.size, (255, 255, 255))
    return Image.composite(rgb, white, img.getchannel("A"))


def _high_depth_to_rgb(img: Image.Image) -> Image.Image:
    """16-bit, 32-bit integer and float greyscale to 8 bits by scaling, not by clipping."""
    values = np.asarray(img, dtype=np.float64)
    finite = np.isfinite(values)
    if not finite.any():
        gray = np.zeros(values.shape, dtype=np.uint8)
    else:
        lo, hi = float(values[finite].min()), float(values[finite].max())
        if img.mode == "F" and lo >= 0 and hi <= 1:
            scaled = values * 255.0  # the usual float convention: 0..1
        elif img.mode == "F" and lo >= 0 and hi <= 255:
            scaled = values
        elif img.mode != "F" and lo >= 0 and hi <= 65535:
            scaled = values / 257.0  # 16-bit range: 65535 -> 255, 32768 -> 128
        elif hi > lo:
            scaled = (values - lo) * (255.0 / (hi - lo))  # unknown range: stretch it
        else:
            scaled = np.zeros_like(values)
        scaled[~finite] = 0
        gray = np.floor(np.clip(scaled, 0, 255) + 0.5).astype(np.uint8)
    return Image.fromarray(np.repeat(gray[:, :, None], 3, axis=2))


def resize_for_network(image: Image.Image, size: int, center_crop: bool = False) -> np.ndarray:
    """The photo as the network sees it: (size, size, 3) uint8 RGB.

    By default the whole photo is squeezed to size x size (the MATLAB example: nothing is cut
    off, the aspect ratio is not kept). ``center_crop`` instead scales the short side to
    round(size / 0.875) and cuts out the centre, as torchvision's ImageNet evaluation does.
    Pillow's bilinear filter widens with the reduction factor (it antialiases), as torchvision's
    Resize on PIL images and MATLAB's imresize do; reducing_gap stays off because its shortcut
    (reducing by an integer factor first) gives slightly different pixels.
    """
    if size < 1:
        raise ValueError(f"size must be positive, got {size}")
    if image.mode != "RGB":
        image = image.convert("RGB")
    if not center_crop:
        out = image.resize((size, size), Image.Resampling.BILINEAR)
        return np.asarray(out, dtype=np.uint8).copy()
    (new_w, new_h), (left, top) = _center_crop_geometry(image.size, size)
    scaled = image.resize((new_w, new_h), Image.Resampling.BILINEAR)
    out = scaled.crop((left, top, left + size, top + size))
    return np.asarray(out, dtype=np.uint8).copy()


def _center_crop_geometry(
    photo_size: tuple[int, int], size: int
) -> tuple[tuple[int, int], tuple[int, int]]:
    """torchvision's rule: the short side becomes round(size / 0.875), the long side truncates;
    then the centre size x size. Returns the scaled size and the crop's top-left corner."""
    short = round(size / 0.875)
    w, h = photo_size
    if w <= h:
        new_w, new_h = short, int(short * h / w)
    else:
        new_w, new_h = int(short * w / h), short
    return (new_w, new_h), (round((new_w - size) / 2.0), round((new_h - size) / 2.0))


def center_crop_box(photo_size: tuple[int, int], size: int) -> tuple[int, int, int, int]:
    """The part of the photo (left, top, right, bottom, in its own pixels) that the network sees
    with center_crop=True: where a map of that crop belongs on the photo."""
    (new_w, new_h), (left, top) = _center_crop_geometry(photo_size, size)
    w, h = photo_size
    sx, sy = w / new_w, h / new_h
    return (
        round(left * sx),
        round(top * sy),
        min(w, round((left + size) * sx)),
        min(h, round((top + size) * sy)),
    )


def resize_map(saliency: np.ndarray, height: int, width: int) -> np.ndarray:
    """Bilinear resize of a 2-D map to (height, width), float32.

    Uses Pillow's 'F' mode: pixel centres at half-pixel positions (like torch's
    align_corners=False, which it equals when enlarging) and an antialiasing filter when
    shrinking, like MATLAB's imresize. NaN and infinities become 0.
    """
    values = _clean_map(saliency, height, width)
    out = np.empty((height, width), dtype=np.float32)
    for rows, strip in _map_strips(values, height, width):
        out[rows] = strip
    return out


def _clean_map(saliency: np.ndarray, height: int, width: int) -> np.ndarray:
    values = np.nan_to_num(np.asarray(saliency, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    if values.ndim != 2 or values.size == 0:
        raise ValueError(f"saliency must be a non-empty 2-D array, got shape {values.shape}")
    if height < 1 or width < 1:
        raise ValueError(f"target size must be positive, got {height} x {width}")
    return values


def _map_strips(values: np.ndarray, height: int, width: int) -> Iterator[tuple[slice, np.ndarray]]:
    """The map resized to (height, width), in blocks of rows, so that a 48-megapixel photo needs no
    full-size float arrays. Pillow places the filter of a box resize exactly where the full resize
    would and clamps it at the edges of the whole source, so the strips join seamlessly (to
    float32 rounding)."""
    if values.shape == (height, width):
        for rows in _row_blocks(height, width):
            yield rows, values[rows]
        return
    source = Image.fromarray(np.ascontiguousarray(values))
    src_h, src_w = values.shape
    for rows in _row_blocks(height, width):
        box = (0.0, rows.start * src_h / height, float(src_w), rows.stop * src_h / height)
        strip = source.resize((width, rows.stop - rows.start), Image.Resampling.BILINEAR, box=box)
        yield rows, np.asarray(strip, dtype=np.float32)


def _check_photo(photo_rgb: np.ndarray) -> np.ndarray:
    photo = np.asarray(photo_rgb)
    if photo.dtype != np.uint8 or photo.ndim != 3 or photo.shape[2] != 3 or photo.size == 0:
        raise ValueError(
            f"photo must be a uint8 array of shape (H, W, 3), got {photo.dtype} {photo.shape}"
        )
    return photo


def _row_blocks(height: int, width: int) -> Iterator[slice]:
    step = max(1, _CHUNK_PIXELS // max(1, width))
    for top in range(0, height, step):
        yield slice(top, min(height, top + step))


def _round_half_up(values: np.ndarray) -> np.ndarray:
    # MATLAB's uint8() rounds halves away from zero (numpy's round goes to even).
    return np.floor(values + 0.5)


def render_matlab_overlay(photo_rgb: np.ndarray, saliency: np.ndarray) -> np.ndarray:
    """The MATLAB example's picture, at the photo's resolution: uint8 (H, W, 3).

    In MATLAB terms: cmap = jet(255) .* linspace(0, 1, 255)'; heat = ind2rgb(uint8(map * 255),
    cmap) * 255; combined = double(rgb2gray(photo)) / 2 + heat; then combined is stretched to
    0..255 by its global minimum and maximum and converted with uint8().
    The map is first resized bilinearly to the photo (see resize_map) and clipped to [0, 1].
    """
    photo = _check_photo(photo_rgb)
    height, width = photo.shape[:2]
    values = _clean_map(saliency, height, width)

    # Each output pixel depends only on (gray level, colour index): encode the pair per pixel,
    # then build a 256 x 255 table once. This keeps large photos to a few bytes per pixel.
    pair = np.empty((height, width), dtype=np.uint16)
    counts = np.zeros(256 * 255, dtype=np.int64)
    wr, wg, wb = _GRAY_WEIGHTS
    for rows, strip in _map_strips(values, height, width):
        block = photo[rows].astype(np.float64)
        # rgb2gray keeps the class of its input: uint8 in, rounded uint8 out.
        gray = _round_half_up(wr * block[..., 0] + wg * block[..., 1] + wb * block[..., 2])
        gray = np.clip(gray, 0, 255)
        # uint8(map * 255) saturates; ind2rgb reads a uint8 index 0-based and clips it to the
        # last of the 255 rows.
        index = np.minimum(_round_half_up(np.clip(strip, 0, 1) * 255), 254)
        pair[rows] = (gray * 255 + index).astype(np.uint16)
        counts += np.bincount(pair[rows].ravel(), minlength=counts.size)

    ramp = np.linspace(0, 1, 255)[:, None]
    heat = matlab_jet(255) * ramp * 255  # (255, 3)
    table = np.arange(256, dtype=np.float64)[:, None, None] / 2 + heat[None, :, :]
    table = table.reshape(256 * 255, 3)
    used = counts > 0
    lo, hi = table[used].min(), table[used].max()
    if hi > lo:
        stretched = np.clip(_round_half_up((table - lo) / (hi - lo) * 255), 0, 255)
    else:
        # MATLAB divides 0 by 0 here and uint8(NaN) is 0: a black picture.
        stretched = np.zeros_like(table)
    lut = stretched.astype(np.uint8)
    out = np.empty((height, width, 3), dtype=np.uint8)
    for rows in _row_blocks(height, width):
        out[rows] = lut[pair[rows]]  # by blocks: fancy indexing widens the index to int64
    return out


def render_blend(
    photo_rgb: np.ndarray,
    saliency: np.ndarray,
    colormap: str = "jet",
    opacity: float = 0.5,
) -> np.ndarray:
    """Alpha-blend the colour-mapped saliency (resized to the photo, clipped to [0, 1]) over the
    photo: (1 - opacity) * photo + opacity * colour. uint8 (H, W, 3)."""
    photo = _check_photo(photo_rgb)
    if not math.isfinite(opacity):
        raise ValueError(f"opacity must be a number in [0, 1], got {opacity}")
    alpha = min(1.0, max(0.0, float(opacity)))
    lut = colormap_lut(colormap)
    height, width = photo.shape[:2]
    values = _clean_map(saliency, height, width)
    out = np.empty_like(photo)
    for rows, strip in _map_strips(values, height, width):
        index = _round_half_up(np.clip(strip, 0, 1) * 255).astype(np.uint8)
        colour = lut[index].astype(np.float32)
        base = photo[rows].astype(np.float32)
        out[rows] = _round_half_up(base + alpha * (colour - base)).clip(0, 255).astype(np.uint8)
    return out
