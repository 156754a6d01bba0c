"""Forward hooks as context managers: the model is as it was when the block ends.

One place for "hook some modules (or all of them) and run one forward pass", which the engine
does to record a layer's activations, to trace the modules that run, to size batches and to find
the layers that its faster copy of a network rewrites (engine/runtime/rewrite.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import torch
from torch import nn

# after(name, module, output) and before(name, module, inputs)
AfterHook = Callable[[str, nn.Module, object], None]
BeforeHook = Callable[[str, nn.Module, tuple[object, ...]], None]


def submodules(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """Every named module below the root (the root itself left out)."""
    return [(n, m) for n, m in model.named_modules() if n]


@contextmanager
def hooked(
    modules: Iterable[tuple[str, nn.Module]],
    after: AfterHook | None = None,
    before: BeforeHook | None = None,
) -> Iterator[None]:
    """Forward hooks (`after`) and pre-hooks (`before`) on the named modules, removed on exit."""
    handles: list[torch.utils.hooks.RemovableHandle] = []

    def bind_after(name: str, fn: AfterHook) -> Callable[..., None]:
        return lambda m, _i, out: fn(name, m, out)

    def bind_before(name: str, fn: BeforeHook) -> Callable[..., None]:
        return lambda m, inputs: fn(name, m, inputs)

    try:
        for name, module in modules:
            if before is not None:
                handles.append(module.register_forward_pre_hook(bind_before(name, before)))
            if after is not None:
                handles.append(module.register_forward_hook(bind_after(name, after)))
        yield
    finally:
        for h in handles:
            h.remove()


def model_device(model: nn.Module) -> torch.device:
    """The device of the model's first parameter or buffer (the CPU if it has none)."""
    t = next(itertools.chain(model.parameters(), model.buffers()), None)
    return t.device if t is not None else torch.device("cpu")


def probe(
    model: nn.Module,
    x: torch.Tensor | int,
    modules: Iterable[tuple[str, nn.Module]] | None = None,
    after: AfterHook | None = None,
    before: BeforeHook | None = None,
    inference: bool = True,
) -> object:
    """One forward pass with hooks on `modules` (default: every submodule); returns the output.

    x is an input batch, or an input size S for one black S x S image on the model's device.
    inference=False runs under no_grad instead of inference mode (whose tensors have no version
    counter).
    """
    if isinstance(x, int):
        x = torch.zeros(1, 3, x, x, device=model_device(model))
    mode = torch.inference_mode() if inference else torch.no_grad()
    with hooked(submodules(model) if modules is None else modules, after, before), mode:
        return model(x)


@contextmanager
def capture_output(module: nn.Module) -> Iterator[list[torch.Tensor]]:
    """Collect a module's output during a forward pass; the hook is removed on exit."""
    outputs: list[torch.Tensor] = []

    def keep(_n: str, _m: nn.Module, out: object) -> None:
        if isinstance(out, torch.Tensor):
            # A copy: later in-place operations (ResNet's `out += identity`) must not change it.
            outputs.append(out.detach().clone())

    with hooked([("", module)], after=keep):
        yield outputs
