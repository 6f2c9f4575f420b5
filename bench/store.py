"""Benchmark the evidence base: ingest N generated documents, then search them, on SQLite and PostgreSQL.

For each backend: a fresh database; `labourlens.store.ingest.ingest` over N documents from
bench/generate.py (analysis in a pool of worker processes, one transaction per document, as
`labourlens ingest` does), timed as documents/s, with the time the parent spent writing; the
size of the database on disk; then `--searches` searches with mixed words, phrases and facets,
timed one by one (p50, p95, max), and a few stats queries. Results go to
bench/results/store-latest.json and a Markdown summary to stdout.

    .venv/bin/python bench/store.py --docs 10000
    .venv/bin/python bench/store.py --docs 500 --backends sqlite        # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from generate import TARGET_WORDS, generate_one

from labourlens import __version__
from labourlens.ingest import Document, make_document
from labourlens.settings import Settings
from labourlens.store import Filters, Store, parse_query, search
from labourlens.store.aggregate import fact_summary, stats
from labourlens.store.db import database_size, normalize_url
from labourlens.store.ingest import default_jobs, ingest

SCHEMA = "labourlens.bench.store/1"
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "store-latest.json"
PG_ADMIN = os.environ.get("LABOURLENS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "labourlens_bench"

WORDS = (
    "passport",
    "passports",
    "wages",
    "debt",
    "dormitory",
    "threatened",
    "recruiters",
    "contract",
    "overtime",
    "locked",
    "beaten",
    "phones",
    "exports",
    "unemployment",
    "visa",
    "remittances",
    "inspectors",
    "union",
    "factory",
    "salary",
)
PHRASES = ('"wages were withheld"', '"locked every night"', '"rest days"', '"central bank"', '"no choice"')
INDICATORS = (
    "retention_of_identity_documents",
    "withholding_of_wages",
    "debt_bondage",
    "excessive_overtime",
    "restriction_of_movement",
    "intimidation_threats",
)
COUNTRIES = (
    "QA",
    "AE",
    "SA",
    "MY",
    "TH",
    "PL",
    "IT",
    "GB",
    "RU",
    "KZ",
    "JP",
    "NG",
    "LB",
    "BR",
    "US",
    "NP",
    "PH",
)
NATIONALITIES = ("NP", "BD", "PH", "ID", "VN", "UA", "UZ", "ET", "KE", "IN", "PK", "KP", "LK")
SECTORS = ("construction", "agriculture", "fishing", "garment", "domestic work", "mining", "hospitality")
STATUSES = ("indicated", "possible", "not_indicated")


def documents(n: int, seed: int, words: int) -> list[Document]:
    """The generated corpus as ingest Documents (with a date, so that date facets have work to do)."""
    settings = Settings()
    rng = random.Random(seed)
    out = []
    for i in range(n):
        doc = generate_one(i, seed, words)
        title = doc.text.split("\n", 1)[0]
        date = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out.append(
            make_document(
                doc.text,
                name=f"{doc.id}.jsonl",
                format="jsonl",
                settings=settings,
                id=doc.id,
                title=title,
                date=date,
            )
        )
    return out


def queries(n: int, seed: int) -> list[tuple[str, Filters]]:
    """n mixed searches: words, phrases, OR, prefixes, with 0 to 3 facets; a fifth are facets only."""
    rng = random.Random(seed)
    out: list[tuple[str, Filters]] = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.2:
            text = ""
        elif kind < 0.45:
            text = rng.choice(WORDS)
        elif kind < 0.6:
            text = rng.choice(PHRASES)
        elif kind < 0.75:
            text = f"{rng.choice(WORDS)} OR {rng.choice(WORDS)}"
        elif kind < 0.85:
            text = rng.choice(WORDS)[:5] + "*"
        else:
            text = f"{rng.choice(WORDS)} {rng.choice(WORDS)}"
        facets: dict[str, Any] = {}
        for _ in range(rng.choice((0, 1, 1, 2, 3)) if text else rng.choice((1, 2, 3))):
            pick = rng.random()
            if pick < 0.3:
                facets["indicators"] = ((rng.choice(INDICATORS),),)
            elif pick < 0.5:
                facets["countries"] = ((rng.choice(COUNTRIES),),)
            elif pick < 0.65:
                facets["nationalities"] = ((rng.choice(NATIONALITIES),),)
            elif pick < 0.8:
                facets["sectors"] = ((rng.choice(SECTORS),),)
            elif pick < 0.9:
                year = rng.randint(2015, 2023)
                facets["since"] = datetime(year, 1, 1).date()
                facets["until"] = datetime(year + 1, 12, 31).date()
            else:
                facets["statuses"] = (rng.choice(STATUSES),)
        out.append((text, Filters(text=parse_query(text) if text else None, **facets)))
    return out


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _fresh_pg() -> str:
    admin = sa.create_engine(normalize_url(PG_ADMIN), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{BENCH_DB}"'))
    admin.dispose()
    return normalize_url(PG_ADMIN).set(database=BENCH_DB).render_as_string(hide_password=False)


def _drop_pg() -> None:
    admin = sa.create_engine(normalize_url(PG_ADMIN), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
    admin.dispose()


def run_backend(
    backend: str,
    docs: list[Document],
    searches: list[tuple[str, Filters]],
    args: argparse.Namespace,
    tmp: Path,
) -> dict[str, Any]:
    """Ingest, measure size, search and count on one backend."""
    url = f"sqlite:///{tmp / 'bench.db'}" if backend == "sqlite" else _fresh_pg()
    store = Store.open(url)
    write_seconds = 0.0
    add = store.add_document

    def timed_add(*a: Any, **kw: Any) -> Any:
        nonlocal write_seconds
        started = time.perf_counter()
        try:
            return add(*a, **kw)
        finally:
            write_seconds += time.perf_counter() - started

    store.add_document = timed_add  # type: ignore[method-assign]
    done = 0
    last = time.perf_counter()

    def progress(_event: str, _source: str) -> None:
        nonlocal done, last
        done += 1
        if time.perf_counter() - last > 30:
            last = time.perf_counter()
            print(f"  {backend}: {done:,} of {len(docs):,} documents", file=sys.stderr, flush=True)

    report = ingest(
        store,
        iter(docs),
        settings=Settings(),
        user="bench",
        jobs=args.jobs,
        batch_size=args.batch_size,
        progress=progress,
    )
    if backend == "sqlite":
        raw = store.engine.raw_connection()  # outside any transaction
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    else:
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    size = database_size(store.engine)
    counts = store.counts()
    latencies: list[float] = []
    hits: list[int] = []
    for _ in range(3):  # warm the caches as a working base would be
        search(store, searches[0][1])
    for _text, filters in searches:
        started = time.perf_counter()
        page = search(store, filters, per_page=20)
        latencies.append((time.perf_counter() - started) * 1000)
        hits.append(page.total)
    stat_ms: dict[str, float] = {}
    for name, fn in (
        ("stats --by indicator", lambda: stats(store, ["indicator"])),
        ("stats --by indicator,country", lambda: stats(store, ["indicator", "country"])),
        ("stats --by indicator,indicator", lambda: stats(store, ["indicator", "indicator"])),
        (
            "stats --fact hours_per_day --by country",
            lambda: fact_summary(store, "hours_per_day", ["country"]),
        ),
    ):
        started = time.perf_counter()
        fn()
        stat_ms[name] = round((time.perf_counter() - started) * 1000, 1)
    store.close()
    if backend == "postgresql" and not args.keep:
        _drop_pg()
    return {
        "backend": backend,
        "ingest": {
            "documents": report.added,
            "failed": len(report.failed),
            "seconds": round(report.seconds, 2),
            "documents_per_s": round(report.rate, 2),
            "parent_write_seconds": round(write_seconds, 2),
            "write_ms_per_document": round(1000 * write_seconds / max(1, report.added), 2),
        },
        "size_bytes": size,
        "size_mib": round(size / 2**20, 1),
        "bytes_per_document": round(size / max(1, report.added)),
        "rows": counts,
        "search": {
            "queries": len(latencies),
            "p50_ms": round(percentile(latencies, 50), 2),
            "p95_ms": round(percentile(latencies, 95), 2),
            "max_ms": round(max(latencies), 2),
            "mean_ms": round(statistics.fmean(latencies), 2),
            "mean_total_hits": round(statistics.fmean(hits), 1),
            "zero_hit_queries": sum(1 for h in hits if h == 0),
        },
        "stats_ms": stat_ms,
    }


def machine() -> dict[str, Any]:
    """Cores, CPU model, Python version, SQLite version."""
    import sqlite3

    model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            model = next(
                (ln.split(":", 1)[1].strip() for ln in fh if ln.lower().startswith("model name")), model
            )
    except OSError:
        pass
    return {
        "cores": default_jobs(),
        "cpu": model,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
    }


def summary(result: dict[str, Any]) -> str:
    """A Markdown table of the results."""
    lines = [
        f"# labourlens store benchmark ({result['corpus']['documents']:,} documents, "
        f"{result['machine']['cores']} cores, {result['ingest_jobs']} workers)",
        "",
        "| backend | ingest docs/s | write ms/doc | size on disk | bytes/doc "
        "| search p50 | search p95 | search max |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in result["backends"]:
        lines.append(
            f"| {r['backend']} | {r['ingest']['documents_per_s']} | {r['ingest']['write_ms_per_document']} | "
            f"{r['size_mib']} MiB | {r['bytes_per_document']:,} | {r['search']['p50_ms']} ms | "
            f"{r['search']['p95_ms']} ms | {r['search']['max_ms']} ms |"
        )
    lines.append("")
    for r in result["backends"]:
        stats_line = ", ".join(f"{k}: {v} ms" for k, v in r["stats_ms"].items())
        lines.append(f"- {r['backend']} stats: {stats_line}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; write the JSON results and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, default=10_000, help="documents to ingest (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--words", type=int, default=TARGET_WORDS, help="target words per document")
    parser.add_argument("--searches", type=int, default=200, help="searches to time (default 200)")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument(
        "--jobs", type=int, default=default_jobs(), help="worker processes (default: the cores)"
    )
    parser.add_argument("--batch-size", type=int, default=16, help="documents per worker task (default 16)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database labourlens_bench")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    started = time.perf_counter()
    docs = documents(args.docs, args.seed, args.words)
    searches = queries(args.searches, args.seed + 1)
    words = sum(len(d.text.split()) for d in docs)
    results = []
    with tempfile.TemporaryDirectory(prefix="labourlens-bench-") as tmp:
        for backend in backends:
            print(f"{backend}: ingesting {len(docs):,} documents...", file=sys.stderr, flush=True)
            results.append(run_backend(backend, docs, searches, args, Path(tmp)))
    result = {
        "schema": SCHEMA,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "labourlens": __version__,
        "machine": machine(),
        "ingest_jobs": args.jobs,
        "batch_size": args.batch_size,
        "corpus": {
            "documents": len(docs),
            "seed": args.seed,
            "words": words,
            "mean_words": round(words / max(1, len(docs))),
        },
        "backends": results,
        "seconds": round(time.perf_counter() - started, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(summary(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
