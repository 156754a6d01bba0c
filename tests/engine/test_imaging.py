"""Colour maps, resizing for the network and the overlays."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from scorecam_gui.engine import imaging
from scorecam_gui.engine.colormaps import COLORMAPS, colormap_lut, matlab_hot, matlab_jet
from scorecam_gui.engine.imaging import (
    IMAGE_SUFFIXES,
    render_blend,
    render_matlab_overlay,
    resize_for_network,
    resize_map,
)

# --- colour maps -------------------------------------------------------------------------------


def test_jet_endpoints_follow_matlab() -> None:
    jet255 = matlab_jet(255)
    assert jet255.shape == (255, 3)
    np.testing.assert_allclose(jet255[0], [0, 0, 33 / 64])
    np.testing.assert_allclose(jet255[-1], [33 / 64, 0, 0])
    # MATLAB's documented jet(64): first row [0 0 0.5625], row 8 pure blue, last row [0.5 0 0].
    jet64 = matlab_jet(64)
    np.testing.assert_allclose(jet64[0], [0, 0, 0.5625])
    np.testing.assert_allclose(jet64[7], [0, 0, 1])
    np.testing.assert_allclose(jet64[8], [0, 0.0625, 1])
    np.testing.assert_allclose(jet64[-1], [0.5, 0, 0])
    assert jet64.min() >= 0 and jet64.max() <= 1
    lut = colormap_lut("jet")
    assert tuple(lut[0]) == (0, 0, 131) and tuple(lut[-1]) == (128, 0, 0)


def test_hot_follows_matlab() -> None:
    hot = matlab_hot(256)  # n = 96: red ramps over rows 1..96, green 97..192, blue 193..256
    np.testing.assert_allclose(hot[0], [1 / 96, 0, 0])
    np.testing.assert_allclose(hot[95], [1, 0, 0])
    np.testing.assert_allclose(hot[191], [1, 1, 0])
    np.testing.assert_allclose(hot[255], [1, 1, 1])


@pytest.mark.parametrize("name", COLORMAPS)
def test_every_colormap_is_a_256_entry_table(name: str) -> None:
    lut = colormap_lut(name)
    assert lut.shape == (256, 3) and lut.dtype == np.uint8
    assert not lut.flags.writeable
    assert colormap_lut(name.upper()) is not None


def test_colormap_known_values() -> None:
    assert tuple(colormap_lut("viridis")[0]) == (0x44, 0x01, 0x54)
    assert tuple(colormap_lut("viridis")[255]) == (0xFD, 0xE7, 0x25)
    assert tuple(colormap_lut("inferno")[0]) == (0, 0, 4)
    assert tuple(colormap_lut("turbo")[0]) == (0x30, 0x12, 0x3B)
    gray = colormap_lut("gray")
    assert (gray[:, 0] == np.arange(256)).all() and (gray == gray[:, :1]).all()
    with pytest.raises(ValueError, match="unknown colour map"):
        colormap_lut("rainbow")


# --- resize_map --------------------------------------------------------------------------------


def test_resize_map_bilinear_half_pixel_centres() -> None:
    small = np.array([[0.0, 1.0], [0.0, 1.0]], dtype=np.float32)
    big = resize_map(small, 2, 4)
    # Output x samples the input at (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 (edges clamp).
    np.testing.assert_allclose(big[0], [0, 0.25, 0.75, 1], atol=1e-6)
    assert big.dtype == np.float32


def test_resize_map_matches_torch_when_enlarging() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    small = rng.random((7, 7)).astype(np.float32)
    ours = resize_map(small, 50, 61)
    theirs = torch.nn.functional.interpolate(
        torch.from_numpy(small)[None, None], size=(50, 61), mode="bilinear", align_corners=False
    )[0, 0].numpy()
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_resize_map_cleans_nan() -> None:
    out = resize_map(np.array([[np.nan, 1.0]]), 1, 2)
    assert np.isfinite(out).all()


# --- the MATLAB overlay ------------------------------------------------------------------------


def _expected_matlab(photo: np.ndarray, index: np.ndarray) -> np.ndarray:
    """The MATLAB computation for a photo whose map needs no resize, written out by hand."""
    # jet(255) rows used below, from MATLAB's definition (n = 64, green starts at row 32):
    jet_rows = {
        0: (0, 0, 33 / 64),  # blue ramp at 33/64
        64: (0, 33 / 64, 1),  # green rising, blue flat
        128: (33 / 64, 1, 31 / 64),  # red rising, green flat, blue falling
        254: (33 / 64, 0, 0),  # red falling
    }
    heat = np.zeros(photo.shape)
    for (y, x), i in np.ndenumerate(index):
        row = min(i, 254)  # ind2rgb clips uint8 index 255 to the last of the 255 rows
        heat[y, x] = np.array(jet_rows[row]) * (row / 254) * 255
    weights = (0.298936021293775, 0.587043074451121, 0.114020904255103)
    gray = np.floor(photo.astype(float) @ np.array(weights) + 0.5)  # rgb2gray on uint8 rounds
    combined = gray[..., None] / 2 + heat
    stretched = (combined - combined.min()) / (combined.max() - combined.min()) * 255
    return np.floor(stretched + 0.5).astype(np.uint8)


def test_matlab_overlay_matches_hand_computation() -> None:
    photo = np.array(
        [[[200, 30, 10], [10, 220, 40]], [[90, 90, 250], [255, 255, 255]]], dtype=np.uint8
    )
    saliency = np.array([[0.0, 1.0], [0.5, 0.25]])  # indices 0, 255, round(127.5)=128, 64
    out = render_matlab_overlay(photo, saliency)
    expected = _expected_matlab(photo, np.array([[0, 255], [128, 64]]))
    np.testing.assert_array_equal(out, expected)
    # Spot values worked out on paper. Minimum: pixel (0, 0), gray(200, 30, 10) = round(78.55) = 79,
    # no heat -> 39.5. Maximum: pixel (0, 1), gray(10, 220, 40) = round(136.7) = 137 -> 68.5, plus
    # red 33/64 * 255 = 131.48 -> 199.98. Pixel (1, 1), blue: 255/2 + 64/254 * 255 = 191.75,
    # stretched: (191.75 - 39.5) / (199.98 - 39.5) * 255 = 241.9 -> 242.
    assert out.dtype == np.uint8
    assert tuple(out[0, 0]) == (0, 0, 0)
    assert out[0, 1, 0] == 255
    assert out[1, 1, 2] == 242


def test_matlab_overlay_has_photo_resolution() -> None:
    photo = np.full((30, 41, 3), 100, dtype=np.uint8)
    saliency = np.linspace(0, 1, 49).reshape(7, 7)
    out = render_matlab_overlay(photo, saliency)
    assert out.shape == (30, 41, 3) and out.dtype == np.uint8
    assert out.min() == 0 and out.max() == 255  # the stretch uses the full range


def test_matlab_overlay_uniform_input_is_black() -> None:
    # max == min: MATLAB divides 0 by 0 and uint8(NaN) is 0.
    out = render_matlab_overlay(np.full((4, 5, 3), 70, np.uint8), np.zeros((2, 2)))
    assert not out.any()


def test_overlay_rejects_a_bad_photo() -> None:
    with pytest.raises(ValueError, match="uint8"):
        render_matlab_overlay(np.zeros((4, 4), np.uint8), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="uint8"):
        render_blend(np.zeros((4, 4, 3), np.float32), np.zeros((2, 2)))


# --- the plain blend ---------------------------------------------------------------------------


def test_blend_opacity_ends_and_middle() -> None:
    rng = np.random.default_rng(2)
    photo = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    saliency = rng.random((6, 8))
    lut = colormap_lut("viridis")
    colours = lut[np.floor(saliency * 255 + 0.5).astype(int)]
    np.testing.assert_array_equal(render_blend(photo, saliency, "viridis", 0.0), photo)
    np.testing.assert_array_equal(render_blend(photo, saliency, "viridis", 1.0), colours)
    half = render_blend(photo, saliency, "viridis", 0.5)
    mean = (photo.astype(int) + colours.astype(int)) / 2
    assert np.abs(half - mean).max() <= 0.5
    # Out-of-range opacity is clipped, not an error.
    np.testing.assert_array_equal(render_blend(photo, saliency, "viridis", 3.0), colours)


def test_blend_resizes_the_map_to_the_photo() -> None:
    photo = np.zeros((25, 33, 3), dtype=np.uint8)
    out = render_blend(photo, np.ones((7, 7)), "gray", 1.0)
    assert out.shape == (25, 33, 3) and (out == 255).all()


# --- resize_for_network ------------------------------------------------------------------------


def _striped(width: int, height: int) -> Image.Image:
    """Blue image with a red band down the left eighth: shows what a crop cuts off."""
    arr = np.zeros((height, width, 3), dtype=np.uint8)
    arr[..., 2] = 255
    arr[:, : width // 8] = (255, 0, 0)
    return Image.fromarray(arr)


def test_resize_for_network_keeps_the_whole_photo() -> None:
    out = resize_for_network(_striped(400, 200), 224)
    assert out.shape == (224, 224, 3) and out.dtype == np.uint8
    assert tuple(out[112, 5]) == (255, 0, 0)  # the band is still there, squeezed
    assert tuple(out[112, 200]) == (0, 0, 255)


def test_resize_for_network_centre_crop() -> None:
    out = resize_for_network(_striped(400, 200), 224, center_crop=True)
    assert out.shape == (224, 224, 3)
    # Short side to 256, long to 512, crop from x = 144: the band (first 64 px) is cut off.
    assert (out[..., 0] == 0).all() and (out[..., 2] == 255).all()


def test_resize_for_network_tiny_and_grey_inputs() -> None:
    assert resize_for_network(Image.new("RGB", (1, 1), (9, 8, 7)), 16).shape == (16, 16, 3)
    assert resize_for_network(Image.new("L", (30, 10), 50), 8, center_crop=True).shape == (8, 8, 3)
    with pytest.raises(ValueError):
        resize_for_network(Image.new("RGB", (4, 4)), 0)


def test_image_suffixes_for_a_file_dialog() -> None:
    for suffix in (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".webp"):
        assert suffix in IMAGE_SUFFIXES
    assert ".eps" not in IMAGE_SUFFIXES and ".pdf" not in IMAGE_SUFFIXES
    assert all(s.startswith(".") and s == s.lower() for s in IMAGE_SUFFIXES)


def test_row_blocks_join_seamlessly(monkeypatch: pytest.MonkeyPatch) -> None:
    # Big photos are processed in blocks of rows; tiny blocks must give the same picture.
    rng = np.random.default_rng(3)
    photo = rng.integers(0, 256, (37, 23, 3), dtype=np.uint8)
    saliency = rng.random((7, 7))
    whole = (render_matlab_overlay(photo, saliency), render_blend(photo, saliency, "magma", 0.6))
    whole_map = resize_map(saliency, 37, 23)
    monkeypatch.setattr(imaging, "_CHUNK_PIXELS", 23 * 4)
    blocks = (render_matlab_overlay(photo, saliency), render_blend(photo, saliency, "magma", 0.6))
    for a, b in zip(whole, blocks, strict=True):
        assert np.abs(a.astype(int) - b.astype(int)).max() <= 1
    np.testing.assert_allclose(resize_map(saliency, 37, 23), whole_map, rtol=0, atol=1e-5)
