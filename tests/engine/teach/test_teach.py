"""Teaching on the issue's data set: two classes of real photos that differ only by a small mark
in the bottom-right corner of one class's photos. The accuracy is reported and at least a plain
logistic regression's; the maps of the marked class sit on the mark; the shortcut check names
that corner, and a data set without the mark raises no warning."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import torch

from scorecam_gui.engine.models.registry import load_network
from scorecam_gui.engine.models.types import Network
from scorecam_gui.engine.progress import Progress, run_to_end
from scorecam_gui.engine.teach import dataset, features, fit, shortcuts, taught, teaching
from tests.helpers.teach_photos import make_folder, mark_quarter_share

# Score only the 64 strongest maps of each photo: the check's maps then cost about a second a
# photo on 2 cores, and put as much of their mass on the mark as full Score-CAM's (measured on
# this data set: the same shares within 0.1; docs/teaching.md).
APPROXIMATE = 64


@dataclass
class Taught:
    data: dataset.Dataset
    features: np.ndarray
    result: teaching.Teaching
    report: shortcuts.ShortcutReport


def _teach_and_check(root: Path, network: Network, cache: features.FeatureCache) -> Taught:
    data = dataset.read_folder(root)
    result = run_to_end(teaching.teach(data, network, seed=0, cache=cache))
    feats = run_to_end(features.compute_features(network, data.paths, cache))
    test = result.split.test
    report = run_to_end(
        shortcuts.check_shortcuts(
            result.taught, [data.paths[i] for i in test], data.labels[test], approximate=APPROXIMATE
        )
    )
    return Taught(data, feats, result, report)


@pytest.fixture(scope="module")
def lite0() -> Network:
    return load_network("efficientnet_lite0")


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory, lite0: Network) -> Taught:
    root = make_folder(tmp_path_factory.mktemp("marked"), per_class=40, marked=True)
    return _teach_and_check(root, lite0, features.FeatureCache())


@pytest.fixture(scope="module")
def unmarked(tmp_path_factory: pytest.TempPathFactory, lite0: Network) -> Taught:
    root = make_folder(tmp_path_factory.mktemp("unmarked"), per_class=16, marked=False, seed=1)
    return _teach_and_check(root, lite0, features.FeatureCache())


def _plain_logistic_regression(
    x: np.ndarray, y: np.ndarray, x_test: np.ndarray, n_classes: int
) -> np.ndarray:
    """What a plain logistic regression predicts: L2 with C = 1 on the raw features, the
    objective scikit-learn's LogisticRegression() minimises with its defaults (the test below
    checks they agree where scikit-learn is installed)."""
    xt, onehot = torch.from_numpy(x.astype(np.float64)), torch.from_numpy(np.eye(n_classes)[y])
    d = x.shape[1]
    theta, _ = fit._lbfgs(
        lambda t: fit._loss_and_gradient(t, xt, onehot, 1.0 / len(y)),
        np.zeros(n_classes * (d + 1)),
    )
    w = theta[: n_classes * d].reshape(n_classes, d)
    return (x_test.astype(np.float64) @ w.T + theta[n_classes * d :]).argmax(1)


def test_the_accuracy_is_reported_per_class_with_its_table(marked: Taught) -> None:
    result = marked.result
    assert result.classes == ("marked", "plain")
    assert len(result.split.test) == 20 and len(result.split.train) == 60
    table = result.confusion()
    assert table.sum() == 20 and table.sum(1).tolist() == [10, 10]
    assert result.per_class() == [(int(table[0, 0]), 10), (int(table[1, 1]), 10)]
    assert result.accuracy == pytest.approx(np.trace(table) / 20)
    assert len(result.mistakes()) == 20 - np.trace(table)
    assert result.accuracy >= 0.7  # the mark is learnt (chance is 0.5)


def test_it_does_as_well_as_a_plain_logistic_regression(marked: Taught) -> None:
    """Over 20 seeded splits of the same features (each fit takes a fraction of a second). The
    two are equal within noise (docs/teaching.md: within 1.5 points either way on every data
    set tried, neither ahead everywhere); measured here 87.0 % against 87.3 % (scikit-learn's
    own fit: 86.8 %). The tolerance is one photo in a hundred: equal, not better, is what the
    same model on the same features can promise."""
    data, feats = marked.data, marked.features
    ours, plain = [], []
    for seed in range(20):
        part = dataset.split(data, seed=seed)
        y, y_test = data.labels[part.train], data.labels[part.test]
        layer = run_to_end(fit.fit_linear(feats[part.train], y, 2, seed))
        ours.append(np.mean(fit.predict_proba(layer, feats[part.test]).argmax(1) == y_test))
        guess = _plain_logistic_regression(feats[part.train], y, feats[part.test], 2)
        plain.append(np.mean(guess == y_test))
    assert np.mean(ours) >= np.mean(plain) - 0.01, (ours, plain)


def test_the_plain_regression_is_scikit_learns(marked: Taught) -> None:
    linear_model = pytest.importorskip("sklearn.linear_model")
    part = dataset.split(marked.data, seed=0)
    x, y = marked.features[part.train], marked.data.labels[part.train]
    x_test = marked.features[part.test]
    theirs = linear_model.LogisticRegression(max_iter=5000).fit(x, y).predict(x_test)
    assert (theirs == _plain_logistic_regression(x, y, x_test, 2)).mean() >= 0.95


def test_the_marked_maps_put_most_of_their_mass_on_the_mark(marked: Taught) -> None:
    check = marked.report.classes[0]
    assert check.name == "marked"
    shares = [mark_quarter_share(m) for m in check.maps]
    assert np.median(shares) > 0.5, shares
    assert np.mean(np.array(shares) > 0.5) >= 0.6, shares
    y, x = np.unravel_index(int(check.average_map.argmax()), check.average_map.shape)
    assert y >= 149 and x >= 149  # the average map's peak is in the bottom-right ninth


def test_the_check_names_the_corner_of_the_mark(marked: Taught) -> None:
    by_name = {c.name: c for c in marked.report.classes}
    warning = by_name["marked"].warning
    assert warning is not None and "bottom-right corner" in warning, warning
    assert warning.endswith("'marked' photos: check what is there")
    assert by_name["plain"].warning is None
    assert marked.report.warnings == [warning]


def test_without_the_mark_there_is_no_warning(unmarked: Taught) -> None:
    assert [c.name for c in unmarked.report.classes] == ["marked", "plain"]
    assert all(c.judged for c in unmarked.report.classes)
    assert unmarked.report.warnings == []


def test_the_files_load_with_weights_only_and_give_the_same_logits(
    marked: Taught, lite0: Network, tmp_path: Path
) -> None:
    weights, labels = taught.save_taught(marked.result.taught, tmp_path / "mine.pth")
    assert labels == tmp_path / "mine.txt"
    assert labels.read_text(encoding="utf-8") == "marked\nplain\n"
    state = torch.load(weights, map_location="cpu", weights_only=True)
    assert state["_fc.weight"].shape == (2, 1280)
    loaded = load_network("efficientnet_lite0", weights, labels)
    assert loaded.categories == ["marked", "plain"] and loaded.num_classes == 2
    x = torch.rand(2, 3, 224, 224)
    with torch.inference_mode():
        expected = marked.result.taught.model(x)
        assert torch.allclose(loaded.model(x), expected, atol=1e-5)
    assert features.classifier_of(lite0)[1].out_features == 1000  # the network is as it was


def test_features_are_computed_once_and_again_when_a_photo_changes(
    marked: Taught, lite0: Network
) -> None:
    cache = features.FeatureCache()
    paths = list(marked.data.paths[:3])
    first = run_to_end(features.compute_features(lite0, paths, cache))
    assert np.allclose(first, marked.features[:3], atol=1e-4)
    steps = list(_progress(features.compute_features(lite0, paths, cache)))
    assert [(p.done, p.total) for p in steps] == [(3, 3)]  # all from the cache: no pass
    info = os.stat(paths[0])
    os.utime(paths[0], ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
    steps = list(_progress(features.compute_features(lite0, paths, cache)))
    assert [(p.done, p.total) for p in steps] == [(2, 3), (3, 3)]


def _progress(job: Generator[Progress, None, object]) -> Iterator[Progress]:
    while True:
        try:
            yield next(job)
        except StopIteration:
            return


def test_a_network_whose_last_layer_is_not_linear_is_refused() -> None:
    squeezenet = load_network("squeezenet1_1", random_init=True)
    with pytest.raises(dataset.TeachError, match="last layer is not a linear layer"):
        features.classifier_of(squeezenet)


def test_closing_the_job_stops_it_between_two_batches(marked: Taught, lite0: Network) -> None:
    cache = features.FeatureCache()
    job = teaching.teach(marked.data, lite0, cache=cache)
    started, one_batch = next(job), next(job)
    assert isinstance(started, features.TeachProgress) and started.stage == "features"
    assert (started.done, one_batch.done, one_batch.total) == (0, 16, 80)
    job.close()
    assert len(cache) == 16  # what was read is kept: teaching again starts from there
