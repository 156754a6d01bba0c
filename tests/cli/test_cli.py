"""The `scorecam` command line, end to end, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from skimage import data

from scorecam_gui import __version__
from scorecam_gui.cli import explain as cli_explain
from scorecam_gui.cli import main as cli
from scorecam_gui.cli import networks
from tests.helpers.cli import run


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("photos")
    Image.fromarray(data.chelsea()).save(folder / "chelsea.png")
    Image.fromarray(data.coffee()).save(folder / "my coffee é.jpg", quality=95)
    (folder / "notes.png").write_text("not a picture")
    return folder


def test_explain_good_and_bad_files(photos: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run(
        "explain",
        str(photos / "chelsea.png"),
        str(photos / "notes.png"),
        str(photos / "my coffee é.jpg"),
        "--json",
        "--out",
        str(out),
        "--approximate",
        "256",  # keeps the test quick; exact runs are tested in test_real_photos
    )
    assert proc.returncode == 1, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [Path(r["path"]).name for r in lines] == ["chelsea.png", "my coffee é.jpg"]
    first = lines[0]
    assert set(first) >= {
        "path", "model", "layer", "target_index", "target_name", "target_probability", "top5",
        "maps_total", "maps_evaluated", "device", "precision", "seconds", "schema_version",
    }  # fmt: skip
    assert first["model"] == "efficientnet_lite0" and first["layer"] == "_head_act"
    assert first["target_index"] in {281, 282, 285} and 0 < first["target_probability"] <= 1
    assert len(first["top5"]) == 5
    assert set(first["top5"][0]) == {"index", "name", "probability", "logit"}
    assert (first["maps_total"], first["maps_evaluated"]) == (1280, 256)
    assert first["approximate"] is True and first["approximate_maps"] == 256
    assert set(first) >= {"seconds_read", "seconds_classify", "seconds_map", "seconds"}
    assert lines[1]["target_name"] == "espresso"
    # one plain line for the bad file, no traceback
    err = [line for line in proc.stderr.splitlines() if line.strip()]
    assert err == [f"scorecam: {photos / 'notes.png'}: not an image file (cannot identify image)"]
    with Image.open(out / "chelsea-scorecam-paper-overlay.png") as overlay:
        assert overlay.size == (451, 300) and overlay.mode == "RGB"
    saliency = np.load(out / "chelsea-scorecam-paper-map.npy")
    assert saliency.dtype == np.float32 and saliency.shape == (224, 224)
    assert saliency.min() == 0 and saliency.max() == pytest.approx(1)
    assert (out / "my coffee é-scorecam-paper-overlay.png").is_file()
    assert sorted(p.name for p in out.iterdir()) == [
        "chelsea-scorecam-paper-map.npy",
        "chelsea-scorecam-paper-overlay.png",
        "my coffee é-scorecam-paper-map.npy",
        "my coffee é-scorecam-paper-overlay.png",
    ]


def test_target_by_name_and_matlab_weighting(photos: Path, tmp_path: Path) -> None:
    proc = run(
        "explain", str(photos / "chelsea.png"), "--target", "tabby", "--weighting", "matlab",
        "--fill", "mean", "--precision", "fp32", "--approximate", "64", "--json", "--out",
        str(tmp_path),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["target_index"] == 281 and record["precision"] == "fp32"


def test_usage_errors_exit_2() -> None:
    for args in (["explain", "x.png", "--weighting", "magic"], ["explain"], ["nope"], []):
        proc = run(*args)
        assert proc.returncode == 2, args
        assert "Traceback" not in proc.stderr


def test_unknown_class_is_a_usage_error_that_says_how_to_list_names(
    photos: Path, tmp_path: Path
) -> None:
    proc = run(
        "explain", str(photos / "chelsea.png"), "--out", str(tmp_path), "--target", "unicorn"
    )
    assert proc.returncode == 2, proc.stderr
    assert "no class named 'unicorn'" in proc.stderr
    assert "list the class names with: scorecam classes efficientnet_lite0" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_the_hint_after_an_unknown_class_finds_something(photos: Path, tmp_path: Path) -> None:
    """Issue 35: `--target kitty` suggested `scorecam classes efficientnet_lite0 kitty`, which
    listed nothing."""
    proc = run("explain", str(photos / "chelsea.png"), "--out", str(tmp_path), "--target", "kitty")
    assert proc.returncode == 2, proc.stderr
    command = proc.stderr.strip().split("list the class names with: scorecam ", 1)[1]
    listed = run(*command.split())
    assert listed.returncode == 0 and "  281  tabby" in listed.stdout.splitlines(), listed.stderr


def test_classes_lists_names_with_their_numbers() -> None:
    proc = run("classes", "efficientnet_lite0", "cat")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["class", "name"]
    assert "  282  tiger cat" in lines and "  285  Egyptian cat" in lines
    # By name and by WordNet's hierarchy (tabby is a cat, so is a lynx); never a dog, and whole
    # words only: no catamaran, no oystercatcher (issue 35).
    assert "  281  tabby" in lines and "  287  lynx" in lines
    assert "  207  golden retriever" not in lines
    assert not [line for line in lines if "catamaran" in line or "oystercatcher" in line]
    proc = run("classes", "efficientnet_lite0", "no-such-thing")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


def test_explain_help_explains_the_options() -> None:
    text = " ".join(run("explain", "--help").stdout.split())
    for words in (
        "PATH a photo (PNG, JPEG",
        "default: efficientnet_lite0",
        "--weighting",
        "softmax of the class logits",
        "masked-out parts of the photo become",
        "masked photos scored per pass",
        "where the network runs",
        "number format of the masked passes",
        "the photo in grey under the jet colours",
        "viridis (colour-blind safe)",
    ):
        assert words in text, words


def test_failures_that_stop_everything_exit_1(photos: Path, tmp_path: Path) -> None:
    chelsea = str(photos / "chelsea.png")
    for args, message in [
        (["--model", "resnet19"], "unknown network 'resnet19'"),
        (["--layer", "_blocks.99"], "no layer '_blocks.99'"),
        (["--device", "cuda"], "CUDA"),
    ]:
        if args[0] == "--device" and _has_cuda():
            continue
        proc = run("explain", chelsea, "--out", str(tmp_path), *args)
        assert proc.returncode == 1, (args, proc.stderr)
        assert proc.stderr.startswith("scorecam: ") and message in proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def _has_cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def test_models_and_layers() -> None:
    proc = run("models")
    assert proc.returncode == 0
    rows = proc.stdout.splitlines()[1:]
    assert [r.split()[0] for r in rows][:2] == ["efficientnet_lite0", "squeezenet1_1"]
    assert "bundled" in rows[0] and "_head_act" in rows[0]
    # As the window says it: weights not yet fetched are "to download", not "missing".
    assert "missing" not in proc.stdout
    assert all(r.endswith(("bundled", "downloaded", "to download")) for r in rows), rows
    proc = run("layers", "efficientnet_lite0")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[0].split()[:3] == ["layer", "type", "output"]
    head = [line for line in proc.stdout.splitlines() if line.startswith("_head_act")]
    assert len(head) == 1 and "1280 x 7 x 7" in head[0] and "<- default" in head[0]
    assert "_blocks.15._project_conv" in proc.stdout


def test_version() -> None:
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"scorecam {__version__}"


WORDS = st.sampled_from(
    ["explain", "models", "layers", "--model", "--layer", "--target", "--weighting", "--fill",
     "--batch-size", "--device", "--precision", "--out", "--json", "--approximate", "paper",
     "matlab", "0", "-1", "999999", "resnet19", "", "--", "-", "\x00", "é", "/nonexistent/x.png"]
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(argv=st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=6))
def test_argument_fuzz_never_raises(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The slow paths are replaced: what is fuzzed is the argument handling, not the network.
    monkeypatch.setattr(cli_explain, "run", lambda args: 1)
    monkeypatch.setitem(networks.COMMANDS, "layers", lambda args: 1)
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code in (0, 1, 2)
    capsys.readouterr()


def test_full_disk_is_one_line_and_leaves_no_file(
    photos: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import errno
    import os

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    argv = ["explain", str(photos / "chelsea.png"), "--out", str(tmp_path), "--approximate", "8"]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("scorecam: ") and "disk full" in err[0], err
    assert list(tmp_path.iterdir()) == []  # neither a file nor a temporary left behind


def test_out_that_is_a_file_is_a_usage_error(photos: Path, tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("keep me")
    proc = run("explain", str(photos / "chelsea.png"), "--out", str(target))
    assert proc.returncode == 2 and "is not a folder" in proc.stderr
    assert target.read_text() == "keep me"


def test_compile_that_fails_warns_once_and_goes_on(
    photos: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import torch

    def no_compiler(model: object, **kwargs: object) -> object:
        def fail(x: object) -> object:
            raise RuntimeError("InvalidCxxCompiler: No working C++ compiler found")

        return fail

    monkeypatch.setattr(torch, "compile", no_compiler)
    photo = str(photos / "chelsea.png")
    argv = ["explain", photo, photo, "--out", str(tmp_path), "--approximate", "8", "--json"]
    assert cli.main([*argv, "--compile"]) == 0
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["compiled"] for r in records] == [False, False]
    assert err.splitlines() == [
        "scorecam: torch.compile failed (RuntimeError: InvalidCxxCompiler: "
        "No working C++ compiler found): running uncompiled"
    ]


def test_center_crop_end_to_end(photos: Path, tmp_path: Path) -> None:
    """--center-crop: the map is the centre crop's, and the overlay covers that crop only."""
    from scorecam_gui.engine import imaging
    from scorecam_gui.engine.explainer import Explainer
    from scorecam_gui.engine.models.registry import load_network

    photo = photos / "my coffee é.jpg"  # 600 x 400: the crop cuts off the sides
    args = ["--center-crop", "--precision", "fp32", "--approximate", "32", "--json"]
    proc = run("explain", str(photo), "--out", str(tmp_path), *args)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    image = imaging.load_image(photo)
    box = imaging.center_crop_box(image.size, 224)
    assert box == (125, 25, 475, 375)  # the centre 350 x 350 (0.875 of the short side)
    with Image.open(record["outputs"]["overlay"]) as overlay:
        assert overlay.size == (box[2] - box[0], box[3] - box[1])
    want = Explainer(load_network("efficientnet_lite0"), "cpu", "fp32").explain(
        image, center_crop=True, approximate=32
    )
    got = np.load(record["outputs"]["map"])
    np.testing.assert_allclose(got, want.saliency, atol=1e-5)
    assert not np.allclose(
        got,
        Explainer(load_network("efficientnet_lite0"), "cpu", "fp32")
        .explain(image, approximate=32)
        .saliency,
        atol=1e-2,
    )


def test_out_below_a_file_is_one_line(photos: Path, tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("keep me")
    proc = run("explain", str(photos / "chelsea.png"), "--out", str(tmp_path / "file.txt" / "sub"))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot create this folder" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr and (tmp_path / "file.txt").read_text() == "keep me"


def test_reader_closing_the_pipe_ends_quietly(photos: Path, tmp_path: Path) -> None:
    """`scorecam explain ... --json | head -1`: the reader goes after the first line; the
    command stops without a word (Python's advice for SIGPIPE), exit 1."""
    photo = str(photos / "chelsea.png")
    command = [sys.executable, "-m", "scorecam_gui.cli.main", "explain", photo, photo, photo]
    command += ["--json", "--approximate", "8", "--out", str(tmp_path)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does after its line
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=600) == 1
    assert json.loads(first)["path"] == photo
    assert "Traceback" not in err and "BrokenPipeError" not in err
    assert "pipe" not in err.lower(), err


@pytest.mark.parametrize("command", [["layers", "efficientnet_lite0"], ["classes", "resnet18"]])
def test_a_listing_whose_reader_left_ends_quietly(command: list[str]) -> None:
    """Issue 35: `scorecam layers ... | head` ended with a broken-pipe error line. Here the
    reader leaves before the first line, so that the write fails every time."""
    argv = [sys.executable, "-m", "scorecam_gui.cli.main", *command]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=300) == 1
    assert err == "", err


def test_explain_with_another_method(photos: Path, tmp_path: Path) -> None:
    from scorecam_gui.engine.explainer import Explainer
    from scorecam_gui.engine.methods import registry
    from scorecam_gui.engine.models.registry import load_network

    out = tmp_path / "out"
    proc = run("explain", str(photos / "chelsea.png"), "--method", "LayerCAM", "--json", "--out",
               str(out))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["method"] == "layercam" and record["weighting"] is None  # it has none
    assert record["target_index"] == 285 and record["fill"] is None
    assert (record["maps_total"], record["maps_evaluated"], record["passes"]) == (None, None, 0)
    assert record["outputs"]["map"] == str(out / "chelsea-layercam-map.npy")
    explainer = Explainer(load_network("efficientnet_lite0"), "cpu")
    want = registry.explain(explainer, Image.fromarray(data.chelsea()), "layercam").saliency
    np.testing.assert_allclose(np.load(out / "chelsea-layercam-map.npy"), want, atol=1e-6)
    bad = run("explain", str(photos / "chelsea.png"), "--method", "gradcam", "--approximate", "9")
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "scorecam: --approximate is Score-CAM's: --method gradcam scores no feature maps"
    )
    unknown = run("explain", str(photos / "chelsea.png"), "--method", "nope")
    assert unknown.returncode == 2 and "unknown method 'nope'" in unknown.stderr
