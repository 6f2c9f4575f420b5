"""The pipeline builds and analyses with the network off: any connection attempt fails the test."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from typing import Any

import pytest

TEXT = (
    "Migrant workers describe locked dormitories\n\n"
    "The men said the manager took their passports on arrival and locked them in the dormitory at night. "
    "They worked 16 hours a day and had not been paid for three months."
)


class NetworkUsed(AssertionError):
    """Raised by the guards below when code tries to reach the network."""


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise NetworkUsed(f"network access attempted: {args[:2]!r}")


def test_offline_pipeline_builds_and_analyses_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.org", 80))  # the guard holds

    from labourlens.pipeline import Pipeline

    analysis = Pipeline().analyze(TEXT)
    assert analysis.language == "en"
    found = {r.indicator for r in analysis.indicators}
    assert {"retention_of_identity_documents", "restriction_of_movement"} <= found


GUARDED = textwrap.dedent(
    """
    import socket, sys

    def refuse(*args, **kwargs):
        raise SystemExit(f"network access attempted: {args[:2]!r}")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    from labourlens.pipeline import Pipeline

    analysis = Pipeline().analyze(sys.stdin.read())
    print(analysis.language, sorted(r.indicator for r in analysis.indicators))
    """
)


def test_offline_fresh_interpreter_imports_builds_and_analyses_without_network() -> None:
    """Nothing cached by earlier tests: imports, knowledge, gazetteers and language model all load offline."""
    proc = subprocess.run(
        [sys.executable, "-c", GUARDED], input=TEXT, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert proc.stdout.startswith("en ")
    assert "retention_of_identity_documents" in proc.stdout
