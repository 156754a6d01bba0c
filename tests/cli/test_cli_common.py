"""What the `scorecam` commands share: the number parsers' factory (cli_common.bounded)."""

from __future__ import annotations

import argparse

import pytest

from scorecam_gui.cli import explain as cli_explain
from scorecam_gui.cli import main as cli
from scorecam_gui.cli import model_options as cli_model
from scorecam_gui.cli import protocols as cli_faithfulness
from scorecam_gui.cli.argtypes import bounded, positive_int
from scorecam_gui.cli.common import Parser


def message(parse, text: str) -> str:
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        parse(text)
    return str(caught.value)


def test_bounded_defaults_say_the_kind_and_the_range() -> None:
    whole = bounded(int, 3)
    assert whole("3") == 3 and whole(" 12 ") == 12 and type(whole("4")) is int
    assert message(whole, "2") == "'2' must be at least 3"
    assert message(whole, "3.5") == "'3.5' is not a whole number"
    between = bounded(float, -1.0, 1.0)
    assert between("-1") == -1.0 and between("1") == 1.0 and type(between("0")) is float
    assert message(between, "1.5") == "'1.5' must be between -1.0 and 1.0"
    assert message(between, "one") == "'one' is not a number"
    assert message(between, "nan") == "'nan' must be between -1.0 and 1.0"
    assert bounded(float)("nan") != bounded(float)("nan")  # no bounds: anything float() reads


def test_bounded_open_low_end_and_own_messages() -> None:
    share = bounded(float, 0.0, 1.0, low_open=True, out_of_range="{text} is no share")
    assert share("1") == 1.0 and share("1e-9") == 1e-9
    assert message(share, "0") == "0 is no share"
    words = bounded(int, 0, not_a_number="'{text}' is not a count", out_of_range="{text}<0")
    assert message(words, "x{y}") == "'x{y}' is not a count"  # braces in the text stay as typed
    assert message(words, "-1") == "-1<0"


@pytest.mark.parametrize(
    ("parse", "good", "bad"),
    [
        (positive_int, {"1": 1, "40": 40}, {"0": "'0' must be at least 1", "x": None}),
        (
            cli_model._size,
            {"8": 8, "4096": 4096},
            {
                "7": "'7' must be between 8 and 4096",
                "4097": "'4097' must be between 8 and 4096",
                "8.0": None,
            },
        ),
        (
            cli_faithfulness._grid_size,
            {"2": 2, "8": 8},
            {"9": "9: a grid is 2 to 8 cells a side", "1": "1: a grid is 2 to 8 cells a side"},
        ),
        (
            cli_faithfulness._probability,
            {"1": 1.0, "0.25": 0.25},
            {"0": "0 is not a probability in (0, 1]", "p": "'p' is not a number"},
        ),
        (cli_explain._opacity, {"0": 0.0, "1": 1.0}, {"1.01": "'1.01' must be between 0 and 1"}),
        (
            cli_explain._seconds,
            {"0": 0.0, "2.5": 2.5},
            {
                "-1": "'-1' must be 0 or more seconds",
                "nan": "'nan' must be 0 or more seconds",
                "soon": "'soon' is not a number of seconds",
            },
        ),
    ],
)
def test_the_commands_parsers_keep_their_words(parse, good, bad) -> None:
    for text, value in good.items():
        assert parse(text) == value
    for text, words in bad.items():
        assert message(parse, text) == (words or f"'{text}' is not a whole number")


def test_a_bad_number_is_a_usage_error_naming_the_option(capsys) -> None:
    parser = Parser(prog="scorecam")
    parser.add_argument("--steps", type=positive_int)
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["--steps", "0"])
    assert exited.value.code == 2
    assert "scorecam: error: argument --steps: '0' must be at least 1" in capsys.readouterr().err


NETWORK_OPTIONS = [
    "--model", "timm:resnet18", "--layer", "layer4", "--target", "tabby", "--batch-size", "8",
    "--device", "cpu", "--precision", "bf16", "--center-crop", "--weights", "w.pth",
    "--labels", "l.txt",
]  # fmt: skip


def test_explain_and_evaluate_read_the_network_options_alike() -> None:
    parser = cli.build_parser()
    wanted = {
        "model": "timm:resnet18",
        "layer": "layer4",
        "target": "tabby",
        "batch_size": 8,
        "device": "cpu",
        "precision": "bf16",
        "center_crop": True,
        "weights": "w.pth",
        "labels": "l.txt",
    }
    defaults = dict.fromkeys(wanted) | {"model": "efficientnet_lite0", "center_crop": False}
    defaults |= {"device": "auto", "precision": "auto"}
    for command in ("explain", "evaluate"):
        given = vars(parser.parse_args([command, "x.png", *NETWORK_OPTIONS]))
        if isinstance(given["target"], list):  # explain takes several (one run, a record each)
            given["target"] = given["target"][0]
        assert {k: given[k] for k in wanted} == wanted, command
        plain = vars(parser.parse_args([command, "x.png"]))
        assert {k: plain[k] for k in wanted} == defaults, command


def test_counts_say_one_file_and_two_files():
    """Issue 35: "1 files in the folders are not photos"."""
    from scorecam_gui.cli.common import counted

    assert counted(1, "file") == "1 file"
    assert counted(0, "file") == "0 files"
    assert counted(2, "photo") == "2 photos"
    assert counted(1, "class", "classes") == "1 class"
    assert counted(3, "class", "classes") == "3 classes"
