"""Load test of the web app on loopback: N concurrent API clients reading and searching for S seconds.

A fresh SQLite base gets --docs generated documents (bench/generate.py, ingested as `labourlens
ingest` does), a viewer with an API token, and `labourlens serve`'s app under uvicorn in a child
process on 127.0.0.1 and a free port. Then --clients asyncio clients (httpx), each with its own
connection, loop for --seconds over: list documents, read a document (audited), search (words,
phrases, facets) and stats. Reports requests/s, p50/p95/p99/max latency and errors, per kind
and overall; writes bench/results/load-latest.json.

    .venv/bin/python bench/load.py                          # 50 clients, 60 s, 300 documents
    .venv/bin/python bench/load.py --clients 10 --seconds 5 --docs 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import socket
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from store import PHRASES, SECTORS, WORDS, documents, machine, percentile

from labourlens import __version__
from labourlens.settings import Settings
from labourlens.store import Store
from labourlens.store.ingest import default_jobs, ingest

SCHEMA = "labourlens.bench.load/1"
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "load-latest.json"
INDICATORS = ("retention_of_identity_documents", "withholding_of_wages", "excessive_overtime", "debt_bondage")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, port: int) -> None:
    """Child process: the app over the base, under uvicorn (one worker, as `labourlens serve`)."""
    import uvicorn

    from labourlens.service import create_app

    store = Store.open(url)
    uvicorn.run(create_app(store), host="127.0.0.1", port=port, log_level="error")


def prepare(folder: Path, docs: int, seed: int) -> tuple[str, str, list[str]]:
    """A base with the generated documents and a viewer; return its URL, an API token and document ids."""
    from labourlens.service.accounts import create_token, create_user

    url = f"sqlite:///{folder / 'load.db'}"
    with Store.open(url) as store:
        report = ingest(
            store, documents(docs, seed, 700), settings=Settings(), user="bench", jobs=default_jobs()
        )
        refs = [d.ref for d in store.documents_by_id(report.added_ids)]
        create_user(store, "loadtest", "viewer", "load-test-password")
        token = create_token(store, "loadtest", "load test")
    return url, token, refs


def _request(rng: random.Random, refs: list[str]) -> tuple[str, str, dict[str, Any]]:
    pick = rng.random()
    if pick < 0.35:
        return "document", f"/api/documents/{rng.choice(refs)}", {}
    if pick < 0.75:
        params: dict[str, Any] = {"q": rng.choice((*WORDS, *PHRASES))}
        if rng.random() < 0.4:
            params["indicator"] = rng.choice(INDICATORS)
        if rng.random() < 0.2:
            params["sector"] = rng.choice(SECTORS)
        return "search", "/api/search", params
    if pick < 0.9:
        return "list", "/api/documents", {"page": rng.randint(1, 3)}
    return "stats", "/api/stats", {"by": rng.choice(("indicator", "indicator,country", "sector"))}


async def _client(
    index: int, base: str, token: str, refs: list[str], until: float, seed: int, out: dict[str, list[float]]
) -> dict[str, int]:
    rng = random.Random(seed * 1000 + index)
    errors: dict[str, int] = defaultdict(int)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30.0) as client:
        while time.monotonic() < until:
            kind, path, params = _request(rng, refs)
            started = time.perf_counter()
            try:
                response = await client.get(path, params=params)
                ok = response.status_code == 200 and response.json().get("ok") is True
                if not ok:
                    errors[f"{kind}: HTTP {response.status_code}"] += 1
            except (httpx.HTTPError, ValueError) as exc:
                errors[f"{kind}: {type(exc).__name__}"] += 1
                continue
            out[kind].append(time.perf_counter() - started)
    return dict(errors)


async def _load(
    base: str, token: str, refs: list[str], clients: int, seconds: float, seed: int
) -> dict[str, Any]:
    latencies: dict[str, list[float]] = defaultdict(list)
    started = time.monotonic()
    until = started + seconds
    results = await asyncio.gather(
        *(_client(i, base, token, refs, until, seed, latencies) for i in range(clients))
    )
    elapsed = time.monotonic() - started
    errors: dict[str, int] = defaultdict(int)
    for r in results:
        for k, v in r.items():
            errors[k] += v
    every = [x for values in latencies.values() for x in values]

    def figures(values: list[float]) -> dict[str, Any]:
        return {
            "requests": len(values),
            "p50_ms": round(percentile(values, 50) * 1000, 1),
            "p95_ms": round(percentile(values, 95) * 1000, 1),
            "p99_ms": round(percentile(values, 99) * 1000, 1),
            "max_ms": round(max(values, default=0.0) * 1000, 1),
        }

    return {
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(every) / elapsed, 1) if elapsed else 0.0,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "overall": figures(every),
        "by_kind": {k: figures(v) for k, v in sorted(latencies.items())},
    }


def run(clients: int, seconds: float, docs: int, seed: int = 7) -> dict[str, Any]:
    """Prepare a base, serve it in a child process, load it; return the figures."""
    with tempfile.TemporaryDirectory(prefix="labourlens-load-") as tmp:
        url, token, refs = prepare(Path(tmp), docs, seed)
        port = _free_port()
        server = multiprocessing.get_context("spawn").Process(target=_serve, args=(url, port), daemon=True)
        server.start()
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/login", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or not server.is_alive():
                    raise RuntimeError("the server did not start")
                time.sleep(0.2)
            figures = asyncio.run(_load(base, token, refs, clients, seconds, seed))
        finally:
            server.terminate()
            server.join(timeout=10)
    return {
        "schema": SCHEMA,
        "labourlens": __version__,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "clients": clients,
        "documents": len(refs),
        **figures,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the load test and write its JSON; exit 1 when any request failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    result = run(args.clients, args.seconds, args.docs, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    o = result["overall"]
    print(
        f"{result['clients']} clients, {result['seconds']} s, {result['documents']} documents: "
        f"{o['requests']} requests ({result['requests_per_second']}/s), p50 {o['p50_ms']} ms, "
        f"p95 {o['p95_ms']} ms, p99 {o['p99_ms']} ms, max {o['max_ms']} ms, errors {result['errors']}"
    )
    for kind, f in result["by_kind"].items():
        print(f"  {kind:9} {f['requests']:6} requests  p50 {f['p50_ms']:7} ms  p95 {f['p95_ms']:7} ms")
    if result["error_kinds"]:
        print("  errors:", result["error_kinds"])
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
