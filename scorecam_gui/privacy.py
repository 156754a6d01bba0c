"""Nothing is sent anywhere and nothing is written outside the app's own folders: the settings
the entry points make before any library that would do otherwise is imported (issue 35).

OpenVINO's model converter (`openvino.convert_model`, which the engine runs once per network,
engine/runtime/openvino.py) starts Intel's telemetry client, openvino_telemetry: on first use it
writes a client id and counters to ~/intel/openvino_ga_cid and ~/intel/stats and sends usage
events to Google Analytics. openvino_telemetry 2025.2 has no switch for it other than a consent
file in that same ~/intel folder or CI=true; but the converter imports it inside
`try: ... except ImportError`, and falls back to its own stub, which sends and writes nothing. So
the entry points mark the module as absent (None in sys.modules makes `import` raise
ImportError) before OpenVINO is imported.

Other libraries the app may load are told the same through their documented variables, where
the user has not set them: the Hugging Face hub (timm weights) and Ray (`--executor ray`).

Like the thread policy (engine/runtime/threads.py) this is the application's choice: only its
entry points call keep_private(); the engine used as a library changes nothing process-wide.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from typing import Any

# Telemetry modules imported inside `try/except ImportError` by the libraries that use them.
TELEMETRY_MODULES = ("openvino_telemetry",)

# Documented opt-outs, set where the user has not set them.
PRIVATE_ENVIRONMENT: dict[str, str] = {
    "HF_HUB_DISABLE_TELEMETRY": "1",  # huggingface_hub: no usage pings on downloads
    "RAY_USAGE_STATS_ENABLED": "0",  # Ray: no usage statistics from a cluster it starts
}


def keep_private(
    environ: MutableMapping[str, str] | None = None,
    modules: MutableMapping[str, Any] | None = None,
) -> dict[str, str]:
    """Switch the libraries' telemetry off; returns the environment variables it set.

    Call it first thing in an entry point, before OpenVINO, huggingface_hub or Ray is imported:
    a telemetry module already imported is left alone."""
    env = os.environ if environ is None else environ
    loaded: MutableMapping[str, Any] = sys.modules if modules is None else modules
    for name in TELEMETRY_MODULES:
        loaded.setdefault(name, None)  # None in sys.modules: `import name` raises ImportError
    chosen = {k: v for k, v in PRIVATE_ENVIRONMENT.items() if k not in env}
    env.update(chosen)
    return chosen
