"""Settings, declared once as data and resolved into a frozen `Settings`.

Precedence: the defaults below < LABOURLENS_* environment variables < explicit overrides
(CLI flags). Only this module reads os.environ.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

# (name, default, help)
SETTINGS: tuple[tuple[str, Any, str], ...] = (
    ("max_document_bytes", 25 * 1024 * 1024, "Largest input file accepted, in bytes."),
    ("max_text_chars", 2_000_000, "Largest extracted text analysed, in characters."),
    ("max_pdf_pages", 500, "Largest PDF accepted, in pages."),
    ("min_confidence", 0.5, "Evidence below this confidence is not reported."),
    ("language_check", True, "Identify the language and analyse English text only."),
    (
        "indicator_mode",
        "combined",
        "How indicators are decided: rules, model, or combined (model over rule features).",
    ),
    ("rule_trust", 0.55, "In combined mode, a rule hit this sure stands even where the model doubts it."),
)


@dataclass(frozen=True, slots=True)
class Settings:
    max_document_bytes: int = 25 * 1024 * 1024
    max_text_chars: int = 2_000_000
    max_pdf_pages: int = 500
    min_confidence: float = 0.5
    language_check: bool = True
    indicator_mode: str = "combined"
    rule_trust: float = 0.55


def load_settings(overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Resolve settings: defaults < LABOURLENS_<NAME> environment variables < overrides.

    overrides: values from the command line; None entries are ignored.
    environ: the environment to read (os.environ when None).
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in fields(Settings):
        raw = env.get(f"LABOURLENS_{f.name.upper()}")
        if raw is not None:
            values[f.name] = _coerce(f.name, raw, type(getattr(Settings(), f.name)))
    for key, val in (overrides or {}).items():
        if val is not None:
            values[key] = val
    return Settings(**values)


def _coerce(name: str, raw: str, kind: type) -> Any:
    from labourlens.errors import InvalidInput

    try:
        if kind is bool:
            return raw.strip().lower() in ("1", "true", "yes", "on")
        return kind(raw)
    except ValueError as exc:
        raise InvalidInput(
            f"LABOURLENS_{name.upper()}={raw!r} is not a valid {kind.__name__}.",
            hint="Fix or unset the environment variable.",
        ) from exc


# The evidence base: `--db` wins over LABOURLENS_DB, which wins over the default file below.
# Either is an SQLAlchemy URL: sqlite:///PATH or postgresql://USER@HOST:PORT/NAME.
DB_ENV = "LABOURLENS_DB"
DB_FILE_NAME = "labourlens.db"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where labourlens keeps its data: $XDG_DATA_HOME/labourlens, else ~/.local/share/labourlens.

    environ: the environment to read (os.environ when None).
    """
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME", "").strip()
    root = (
        Path(base)
        if base and Path(base).is_absolute()
        else Path(env.get("HOME") or Path.home()) / ".local" / "share"
    )
    return root / "labourlens"


def default_db_url(environ: Mapping[str, str] | None = None) -> str:
    """The default evidence base: one SQLite file, <data dir>/labourlens.db.

    environ: the environment to read (os.environ when None).
    """
    return f"sqlite:///{data_dir(environ) / DB_FILE_NAME}"


def resolve_db_url(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The database URL to use: `explicit` (the --db option), else LABOURLENS_DB, else the default file.

    explicit: the URL given on the command line, or None; environ: os.environ when None.
    """
    if explicit and explicit.strip():
        return explicit.strip()
    env = os.environ if environ is None else environ
    from_env = env.get(DB_ENV, "").strip()
    return from_env or default_db_url(env)
