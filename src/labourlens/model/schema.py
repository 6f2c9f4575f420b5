"""The JSON Schema of the `labourlens.analysis/1` contract, as shipped beside this module."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from labourlens.errors import PipelineError

SCHEMA_FILE = "analysis-1.schema.json"


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    path = resources.files("labourlens.model").joinpath(SCHEMA_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PipelineError(
            f"Can't read the packaged schema labourlens/model/{SCHEMA_FILE}: {exc}.",
            hint="The installation is damaged; reinstall labourlens.",
        ) from exc
    if not isinstance(data, dict):
        raise PipelineError(
            f"labourlens/model/{SCHEMA_FILE} does not hold a JSON object.",
            hint="The installation is damaged; reinstall labourlens.",
        )
    return data


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `Analysis.to_dict()`; a fresh copy on each call."""
    return copy.deepcopy(_load())
