"""`labourlens user add|list|token` and `labourlens serve --demo` (a real server on loopback)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner

from labourlens.cli import main


def test_user_add_list_token(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'users.db'}"
    runner = CliRunner()
    added = runner.invoke(
        main, ["user", "add", "rosa", "--role", "analyst", "--db", db], input="longpassword\n" * 2
    )
    assert added.exit_code == 0, added.output
    assert "added rosa (analyst)" in added.output
    again = runner.invoke(main, ["user", "add", "rosa", "--password", "longpassword", "--db", db])
    assert again.exit_code != 0 and "already a user" in again.output
    short = runner.invoke(main, ["user", "add", "tom", "--password", "short", "--db", db])
    assert short.exit_code != 0 and "at least" in short.output
    listed = runner.invoke(main, ["user", "list", "--db", db])
    assert listed.exit_code == 0 and "rosa\tanalyst" in listed.output
    token = runner.invoke(main, ["user", "token", "rosa", "--db", db])
    assert token.exit_code == 0 and token.output.startswith("ll_")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_demo_prints_the_url_and_a_one_time_password(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "LABOURLENS_DB": f"sqlite:///{tmp_path / 'unused.db'}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "labourlens", "serve", "--demo", "--port", str(port)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stderr is not None
        lines: list[str] = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any("password" in ln for ln in lines):
            line = proc.stderr.readline()
            if not line:
                break
            lines.append(line)
        text = "".join(lines)
        assert f"http://localhost:{port}/" in text, text
        found = re.search(r"one-time password: (\S+)", text)
        assert found is not None, text
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=10, follow_redirects=True) as client:
            for _ in range(100):
                try:
                    client.get("/login")
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            r = client.post("/login", data={"name": "admin", "password": found.group(1)})
            assert r.status_code == 200 and "Dashboard" in r.text
            listing = client.get("/api/documents").json()
            assert listing["total"] >= 1
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
