"""timm classifiers by name (`timm:NAME`): architecture, preprocessing and weights from timm.

timm is an optional extra. Its pretrained weights come from the Hugging Face hub into the hub's
own cache (shared with every other program that uses it), with progress and cancel between
chunks; timm then loads the file through its own loader (key remapping, classifier adaptation).
Input size and normalisation come from the model's pretrained_cfg (timm's data config).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from torch import nn

from . import weights
from .layers import find_default_layer
from .types import CancelFn, Network, NetworkError, NetworkInfo, ProgressFn

if TYPE_CHECKING:
    from types import ModuleType

PREFIX = "timm:"
INSTALL_HINT = "timm is not installed: pip install 'scorecam-gui[timm]'"
# What timm's own loader asks the hub for, in this order (timm.models._hub).
_HUB_FILES = ("model.safetensors", "pytorch_model.bin")


def is_timm_name(name: str) -> bool:
    return name.startswith(PREFIX)


def _timm() -> ModuleType:
    try:
        import timm
    except ImportError as exc:
        raise NetworkError(INSTALL_HINT) from exc
    return timm


def _arch(name: str) -> str:
    arch = name[len(PREFIX) :] if is_timm_name(name) else name
    timm = _timm()
    if not arch or not timm.is_model(arch):
        close = timm.list_models(f"*{arch.split('.')[0][:8]}*")[:5] if arch else []
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise NetworkError(f"timm has no model '{arch}'{hint}: see timm.list_models()")
    return arch


def network_info(name: str) -> NetworkInfo:
    """The registry entry of a timm model, from its pretrained_cfg, without building it."""
    arch = _arch(name)
    timm = _timm()
    from timm.data import resolve_data_config

    cfg = timm.models.get_pretrained_cfg(arch)
    cfg_dict: dict[str, Any] = cfg.to_dict() if cfg is not None else {}
    data = resolve_data_config(pretrained_cfg=cfg_dict)
    hub_id = cfg_dict.get("hf_hub_id")
    return NetworkInfo(
        name=PREFIX + arch,
        title=arch,
        default_layer=None,
        input_size=int(data["input_size"][-1]),
        mean=tuple(float(v) for v in data["mean"]),  # type: ignore[arg-type]
        std=tuple(float(v) for v in data["std"]),  # type: ignore[arg-type]
        bundled=False,
        weights_url=f"hf-hub:{hub_id}" if hub_id else cfg_dict.get("url"),
        license=str(cfg_dict.get("license") or "see the model card on the Hugging Face hub"),
    )


def load_timm(
    name: str,
    weights_file_path: str | Path | None = None,
    labels_file: str | Path | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    allow_download: bool = True,
    random_init: bool = False,
) -> Network:
    """Build a timm classifier in eval mode: random, from a weights file (safetensors or a state
    dict, another number of classes is fine), or with timm's pretrained weights from the hub."""

    info = network_info(name)
    arch = info.title
    timm = _timm()
    if random_init:
        model, source = timm.create_model(arch, pretrained=False), "random"
    elif weights_file_path is not None:
        path = Path(weights_file_path)
        state = weights.load_state_dict_file(path)  # safetensors or a state dict
        n = weights.num_classes_in(state) or 1000
        model = timm.create_model(arch, pretrained=False, num_classes=n)
        weights.load_into(model, state, path, architecture=arch)
        source = str(path)
    else:
        file = _hub_file(info, progress, cancel, allow_download)
        overlay = {"file": str(file), "custom_load": False}
        try:
            model = timm.create_model(arch, pretrained=True, pretrained_cfg_overlay=overlay)
        except Exception as exc:  # a damaged cache entry: say so rather than show a traceback
            raise weights.WeightsError(
                f"Could not load the weights of {arch} from {file}: {exc}", file
            ) from exc
        source = "downloaded"
    model.eval()
    n = int(getattr(model, "num_classes", 0)) or _outputs(model)
    labels = weights.labels_for(n, labels_file)
    net = Network(info=info, model=model, categories=labels, weights_source=source)
    net.default_layer = find_default_layer(net)
    return net


def _outputs(model: nn.Module) -> int:
    for module in reversed(list(model.modules())):
        if isinstance(module, nn.Linear):
            return module.out_features
    return 1000


def _hub_file(
    info: NetworkInfo, progress: ProgressFn | None, cancel: CancelFn | None, allow_download: bool
) -> Path:
    """The weights file in the hub's cache, downloaded first if allowed and missing."""
    url = info.weights_url or ""
    if not url.startswith("hf-hub:"):
        raise weights.WeightsError(
            f"timm has no Hugging Face hub weights for {info.title}: use --weights FILE"
        )
    repo = url[len("hf-hub:") :]
    import huggingface_hub
    from huggingface_hub.errors import EntryNotFoundError, LocalEntryNotFoundError

    for filename in _HUB_FILES:
        cached = huggingface_hub.try_to_load_from_cache(repo, filename)
        if isinstance(cached, str):
            return Path(cached)
    if not allow_download:
        raise weights.WeightsError(
            f"the weights of {info.title} are not on this machine: download them, import "
            "the weights file, or use the bundled EfficientNet-Lite0"
        )
    tqdm_class = _progress_bar(progress, cancel)
    for filename in _HUB_FILES:
        try:
            return Path(huggingface_hub.hf_hub_download(repo, filename, tqdm_class=tqdm_class))
        except weights.DownloadCancelled:
            raise
        except LocalEntryNotFoundError as exc:  # offline (a subclass of the next one)
            raise _download_failed(info.title, exc) from exc
        except EntryNotFoundError:  # the repository has the other file
            continue
        except Exception as exc:
            raise _download_failed(info.title, exc) from exc
    raise weights.WeightsError(f"the hub repository {repo} holds no weights file timm can read")


def _download_failed(title: str, exc: Exception) -> weights.WeightsError:
    from huggingface_hub.errors import LocalEntryNotFoundError, OfflineModeIsEnabled

    # The hub reports "cannot connect and not in the cache" as LocalEntryNotFoundError.
    if isinstance(exc, LocalEntryNotFoundError | OfflineModeIsEnabled | OSError):
        return weights._failed(title, "no network connection?")
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return weights._failed(title, first)


def _progress_bar(progress: ProgressFn | None, cancel: CancelFn | None) -> type | None:
    """A tqdm class for hf_hub_download that reports bytes and asks to cancel on every update."""
    if progress is None and cancel is None:
        return None
    from tqdm.auto import tqdm  # type: ignore[import-untyped]

    report: Callable[[int, int | None], None] = progress or (lambda _d, _t: None)

    class _Bar(tqdm):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["disable"] = True  # the caller shows progress its own way
            super().__init__(*args, **kwargs)
            self._done = 0
            self._total = kwargs.get("total")

        def update(self, n: float | None = 1) -> bool | None:
            self._done += int(n or 0)
            report(self._done, self._total)
            if cancel is not None and cancel():
                raise weights.DownloadCancelled("The download was cancelled.")
            return None

    return _Bar
