"""The founding article through the pipeline, held against shared/seed/expected.json by check_seed.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "north-korean-workers-russia.txt"
EXPECTED = SHARED / "seed" / "expected.json"
CHECKER = SHARED / "tools" / "check_seed.py"


def test_seed_article_meets_expected(tmp_path: Path) -> None:
    if not (SEED.is_file() and EXPECTED.is_file() and CHECKER.is_file()):
        pytest.skip(f"the seed article, expected.json or check_seed.py is absent under {SHARED}")
    from labourlens.ingest import normalize_text
    from labourlens.pipeline import analyze

    text = normalize_text(SEED.read_text(encoding="utf-8"))
    analysis = analyze(text)
    assert analysis.language == "en"
    out = tmp_path / "out.json"
    out.write_text(json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(CHECKER), str(out), str(EXPECTED)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    report = f"check_seed.py exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    print(report)
    assert proc.returncode == 0, report
