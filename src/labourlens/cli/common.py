"""What the commands share: settings options, the cached pipeline, output streams, rich rendering."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click
from rich.console import RenderableType

from labourlens.errors import InvalidInput
from labourlens.render.common import rich_to_text
from labourlens.settings import SETTINGS, Settings, load_settings

if TYPE_CHECKING:
    from labourlens.pipeline import Pipeline

__all__ = [
    "Output",
    "get_pipeline",
    "parse_set",
    "render_rich",
    "resolve_settings",
    "settings_options",
    "stdout_is_tty",
    "use_color",
]

F = TypeVar("F", bound=Callable[..., Any])

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
# Bounds of numeric settings: (lowest, highest); None for no bound.
_BOUNDS: dict[str, tuple[float, float | None]] = {"min_confidence": (0.0, 1.0)}


def _setting_names() -> list[str]:
    return [f.name for f in fields(Settings)]


def _coerce(name: str, raw: str) -> Any:
    """Turn the text of a --set value into the type of the setting's default."""
    default = getattr(Settings(), name)
    if isinstance(default, bool):
        low = raw.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise click.BadParameter(f"{name}={raw!r}: expected true or false.", param_hint="'--set'")
    kind = type(default)
    if kind is str:
        value = raw.strip()
        if not value:
            raise click.BadParameter(f"{name} may not be empty.", param_hint="'--set'")
        return value
    try:
        value = kind(raw.strip())
    except ValueError:
        raise click.BadParameter(
            f"{name}={raw!r}: expected a {kind.__name__}.", param_hint="'--set'"
        ) from None
    low_bound, high_bound = _BOUNDS.get(name, (0, None))
    if value < low_bound or (high_bound is not None and value > high_bound):
        span = f"from {low_bound} to {high_bound}" if high_bound is not None else f"at least {low_bound}"
        raise click.BadParameter(f"{name}={raw!r}: must be {span}.", param_hint="'--set'")
    return value


def parse_set(values: Iterable[str]) -> dict[str, Any]:
    """Parse `--set key=value` options into settings overrides (later ones win).

    values: the raw option values; keys may use '-' or '_' ("min-confidence=0.6").
    Raises click.BadParameter for a malformed pair, an unknown key or a value of the wrong type.
    """
    names = _setting_names()
    overrides: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not key=value.", param_hint="'--set'")
        if key not in names:
            raise click.BadParameter(
                f"unknown setting {key!r}; the settings are: {', '.join(names)}.", param_hint="'--set'"
            )
        overrides[key] = _coerce(key, raw)
    return overrides


def _settings_help() -> str:
    rows = "; ".join(f"{name} ({default!r})" for name, default, _help in SETTINGS)
    return f"Override a setting, e.g. --set min_confidence=0.6 (repeatable). Settings (default): {rows}."


def settings_options(func: F) -> F:
    """Add --set KEY=VALUE and --no-language-check to a command (values: `sets`, `no_language_check`)."""
    func = click.option(
        "--no-language-check",
        is_flag=True,
        help="Analyse every document as English, without identifying its language.",
    )(func)
    func = click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help=_settings_help())(func)
    return func


def resolve_settings(sets: Iterable[str], no_language_check: bool = False) -> Settings:
    """Settings from defaults < LABOURLENS_* environment < --set < flags.

    sets: the --set values; no_language_check: the --no-language-check flag.
    """
    overrides = parse_set(sets)
    if no_language_check:
        overrides["language_check"] = False
    return load_settings(overrides)


@functools.lru_cache(maxsize=4)
def get_pipeline(settings: Settings) -> Pipeline:
    """The pipeline for these settings, built once per process (loading knowledge is the slow part)."""
    from labourlens.pipeline import Pipeline

    return Pipeline(settings)


def stdout_is_tty() -> bool:
    """True when standard output is a terminal."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def use_color(color: bool | None, to_stdout: bool) -> bool:
    """Resolve --color/--no-color: by default, colour only a terminal, and never with NO_COLOR set.

    color: the flag (None when not given); to_stdout: the output goes to standard output.
    """
    if color is not None:
        return color
    return to_stdout and stdout_is_tty() and not os.environ.get("NO_COLOR")


def terminal_width(default: int = 100) -> int:
    """The terminal's width when stdout is one (60 to 160 columns), else `default`."""
    if not stdout_is_tty():
        return default
    return max(60, min(160, shutil.get_terminal_size((default, 24)).columns))


def render_rich(parts: Iterable[RenderableType], *, width: int = 100, color: bool = False) -> str:
    """Render rich renderables to a string, deterministically (see render.common.rich_to_text)."""
    return rich_to_text(parts, width=width, color=color)


class Output:
    """Where a command writes: stdout ("-") or a file opened on the first write, as UTF-8.

    target: "-" or a path.
    """

    def __init__(self, target: str) -> None:
        self.target = target
        self._stream: IO[bytes] | None = None
        self._owned = False

    @property
    def is_stdout(self) -> bool:
        return self.target == "-"

    def write(self, text: str) -> None:
        """Write text as UTF-8 and flush, so that streamed results appear at once.

        A lone surrogate (possible in JSONL metadata) is written as '?' rather than failing.
        """
        if self._stream is None:
            self._stream = self._open()
        self._stream.write(text.encode("utf-8", errors="replace"))
        self._stream.flush()

    def _open(self) -> IO[bytes]:
        if self.is_stdout:
            return sys.stdout.buffer
        try:
            stream = open(self.target, "wb")  # noqa: SIM115 - closed in close()
        except OSError as exc:
            raise InvalidInput(
                f"Can't write the output file '{self.target}': {exc.strerror or exc}.",
                hint="Check that its folder exists and is writable.",
            ) from exc
        self._owned = True
        return stream

    def close(self) -> None:
        """Close the output file (stdout stays open)."""
        if self._stream is not None and self._owned:
            self._stream.close()
        self._stream = None
