"""The OpenVINO backend of the batched passes, and the checks `auto` makes before it trusts it.

It runs plain logits only (no capabilities: a hook on a torch layer never sees its passes). When
the user chose `auto` (`checked`), it proves itself on first use, and the results are kept with
the network's disk cache entry (engine/runtime/openvino.py):
- in fp32, the first batch's logits against torch's exact fp32 ones (a conversion gone wrong);
- in a reduced precision, the whole map against torch's fp32 map (MapCheck: the method compares
  the two maps, since what must agree is the map, not each logit).
INT8 (engine/runtime/int8.py), an approximation the user names, makes the map check on its first
run on a network whatever the backend choice, to measure how close it comes, never to fall back.
A failed check moves to fp32 where the user left the precision to `auto`, else the backend
fails: `failed` says why, and the inference runner takes torch from the next batch on. So does
a pass that stops responding (openvino.OpenVinoStuck).

The map check runs every masked input through torch as well (3-4x OpenVINO's time: most of a
first start, docs/speed.md). The window defers it (`defer_check`): a reduced precision left to
`auto` and never checked on this network runs in fp32 meanwhile (exact, with fp32's one-batch
check), and `deferred_check` brings it back for its map check once the window is idle.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import torch

from ...choices import INT8
from .openvino import CompiledNetwork, OpenVinoError, OpenVinoRuntime, OpenVinoStuck, agreement

if TYPE_CHECKING:
    from ..models.types import Network

__all__ = ["MIN_AGREEMENT", "MapCheck", "OpenVinoBackend"]

log = logging.getLogger(__name__)

# `auto`'s checks: the first batch's logits (each class's deviation from its batch mean, which is
# what Score-CAM's softmax weights read), or the map of a reduced precision, must correlate at
# least this well with torch's exact fp32 ones, as the maps of reduced precision must.
MIN_AGREEMENT = 0.999


class MapCheck:
    """`auto`'s first use of a reduced precision: each batch also runs through torch in exact
    fp32; the method makes both maps and hands their correlation to `finish`."""

    def __init__(self, backend: OpenVinoBackend) -> None:
        self.backend = backend
        self.exact: list[torch.Tensor] = []  # torch's logits of the batches run so far

    @property
    def measures_only(self) -> bool:
        """True when the check measures (INT8) rather than gates (auto's bf16)."""
        return self.backend.measured_only

    def exact_logits(self) -> torch.Tensor | None:
        """torch's exact fp32 logits of the batches run since the check began, in order."""
        return torch.cat(self.exact) if self.exact else None

    def abandon(self) -> None:
        """No verdict from this run (a stopped INT8 run): the next whole run checks again."""
        if self.backend.check is self:
            self.backend.check = None

    def finish(self, correlation: float) -> bool:
        """True if OpenVINO's map agrees (kept with the disk cache); else False, and later runs
        use fp32 (or torch)."""
        return self.backend.finish_map_check(self, correlation)


class OpenVinoBackend:
    """The batched passes on OpenVINO's CPU plugin, for one network."""

    name = "openvino"
    capabilities: frozenset[str] = frozenset()
    layout = torch.contiguous_format  # OpenVINO reads plain (NCHW) arrays

    def __init__(
        self,
        network: Network,
        precision: str,
        checked: bool,
        runtime: OpenVinoRuntime,
        exact: Callable[[torch.Tensor], torch.Tensor],
        defer_check: bool = False,
    ) -> None:
        """precision: as asked (`auto`: bf16 where the CPU has it natively); checked: `auto`
        was asked for, so it proves itself on first use; exact: torch's exact fp32 logits of a
        batch, for the checks; defer_check: an unchecked reduced precision left to `auto` waits
        in fp32 for deferred_check (the module docstring)."""
        self.network = network
        self.runtime = runtime
        self.checked = checked
        self._asked = precision
        self.precision = runtime.auto_precision() if precision == "auto" else precision
        self._exact = exact
        self._net: CompiledNetwork | None = None
        self.check: MapCheck | None = None  # a map check in progress
        self.failed: str | None = None  # why it gave the passes to torch, if it did
        self.deferred: str | None = None  # the precision waiting for its map check (fp32 runs)
        self.fp32_failed = False  # its fp32 network (fp32_forward) did not compile or disagreed
        unchecked = checked and precision == "auto" and self.precision != "fp32"
        if defer_check and unchecked and runtime.stored_agreement(network, self.precision) is None:
            self.deferred, self.precision = self.precision, "fp32"

    @contextlib.contextmanager
    def deferred_check(self) -> Iterator[bool]:
        """While inside: the deferred precision is back, so the next Score-CAM run makes its map
        check (True), or there is none to make (False). A check that did not finish (the run was
        cancelled) leaves it deferred again."""
        due = self.deferred is not None and self.failed is None
        if not due:
            yield False
            return
        deferred, self.deferred = self.deferred, None
        assert deferred is not None
        self.precision, self._net, self.check = deferred, None, None
        try:
            yield True
        finally:
            checked = self.runtime.stored_agreement(self.network, deferred) is not None
            if not checked and self.failed is None and self.precision == deferred:
                self.deferred, self.precision, self._net, self.check = deferred, "fp32", None, None

    @property
    def measured_only(self) -> bool:
        """True for INT8: the user named an approximation, so its map check measures how close
        it comes (shown with every run) and never hands the passes to another precision."""
        return self.precision == INT8

    def can_run(self, needs: frozenset[str]) -> bool:
        return self.failed is None and needs <= self.capabilities

    def fail(self, reason: str) -> None:
        log.warning("%s: the masked passes run on torch", reason)
        self.failed = reason
        self._net = None

    # -- the compiled network -----------------------------------------------------------------
    def compiled(self) -> CompiledNetwork | None:
        """The network compiled at this precision (on first use), or None once failed."""
        while self.failed is None:
            net = self._net
            if net is not None and net.precision == self.precision:
                return net
            known = self.runtime.stored_agreement(self.network, self.precision)
            known = known if self.checked or self.measured_only else None
            if known is not None and known < MIN_AGREEMENT and not self.measured_only:
                self._check_failed(known)
                continue
            try:
                net = self._net = self.runtime.compiled_network(self.network, self.precision)
            except OpenVinoError as exc:
                self.fail(f"OpenVINO could not compile the network ({exc})")
                return None
            if known is not None:
                net.agreement = known
            return net
        return None

    def first_batch_check_due(self, net: CompiledNetwork) -> bool:
        """True while `auto`'s fp32 check (the next batch's logits against torch's) is to come."""
        return self.checked and net.agreement is None and self.precision == "fp32"

    def pipeline_network(self) -> CompiledNetwork | None:
        """The compiled network once batches may overlap (no check to come or in progress)."""
        if self.check is not None:
            return None
        net = self.compiled()
        if net is None or self.first_batch_check_due(net):
            return None
        return net

    # -- one batch at a time ----------------------------------------------------------------------
    def forward(self, x: torch.Tensor) -> torch.Tensor | None:
        """The batch's logits, or None once the backend has failed (torch runs it then)."""
        while True:
            net = self.compiled()
            if net is None:
                return None
            try:
                logits = net(x)
            except OpenVinoStuck as exc:
                self.fail(f"OpenVINO stopped responding ({exc})")
                return None
            if self.check is not None:  # a map check runs: torch's exact logits too
                self.check.exact.append(self._exact(x))
            if self.first_batch_check_due(net):
                net.store_agreement(agreement(logits, self._exact(x)))
            if net.agreement is None or net.agreement >= MIN_AGREEMENT or self.measured_only:
                return logits
            if not self._check_failed(net.agreement):
                return None

    def fp32_forward(self, x: torch.Tensor) -> torch.Tensor | None:
        """fp32 logits of a batch on OpenVINO (the network compiled in fp32 as well), or None
        when that cannot be had (torch's exact pass runs it then). Under `auto` its first batch
        is checked against torch's, as the fp32 backend's is (the verdict kept on disk)."""
        if self.failed is not None or self.fp32_failed:
            return None
        try:
            net = self.runtime.compiled_network(self.network, "fp32")
            logits = net(x)
        except OpenVinoError as exc:  # not compiled: torch's exact pass from now on
            log.info("OpenVINO cannot compile the fp32 network (%s): torch runs it", exc)
            self.fp32_failed = True
            return None
        except OpenVinoStuck as exc:  # as forward(): nothing more on OpenVINO, no second wait
            self.fail(f"OpenVINO stopped responding ({exc})")
            return None
        if self.checked and net.agreement is None:
            known = self.runtime.stored_agreement(self.network, "fp32")
            if known is None:
                net.store_agreement(agreement(logits, self._exact(x)))
            else:
                net.agreement = known
        if net.agreement is not None and net.agreement < MIN_AGREEMENT:
            log.info(
                "OpenVINO's fp32 network disagrees with torch (%.4f): torch runs its passes",
                net.agreement,
            )
            self.fp32_failed = True
            return None
        return logits

    # -- the map check ----------------------------------------------------------------------------
    def start_map_check(self) -> MapCheck | None:
        """A MapCheck when the next run is `auto`'s first use of a reduced precision on this
        network, or the first INT8 run on it; None otherwise (checked before, fp32, or not
        `auto`)."""
        self.check = None
        checked = self.checked or self.measured_only
        if not checked or self.failed is not None or self.precision == "fp32":
            return None
        known = self.runtime.stored_agreement(self.network, self.precision)
        if known is not None:
            if known < MIN_AGREEMENT and not self.measured_only:
                self._check_failed(known)
            return None
        net = self._net
        if net is not None and net.precision == self.precision and net.agreement is not None:
            return None
        self.check = MapCheck(self)
        return self.check

    def finish_map_check(self, check: MapCheck, correlation: float) -> bool:
        if self.check is check:
            self.check = None
        net = self._net
        if net is None or self.failed is not None:
            return True
        net.store_agreement(correlation)
        if correlation >= MIN_AGREEMENT or self.measured_only:
            return True
        self._check_failed(correlation)
        return False

    def _check_failed(self, agree: float) -> bool:
        """After a failed check at this precision: True when fp32 is left to try (it becomes the
        precision), else False (failed: torch runs the passes)."""
        if self.precision != "fp32" and self._asked == "auto":
            log.info("OpenVINO %s disagrees with fp32 (%.5f): using fp32", self.precision, agree)
            self.precision = "fp32"
            self._net = None
            return True
        self.fail(f"OpenVINO's logits disagree with torch's fp32 ones ({agree:.5f})")
        return False
