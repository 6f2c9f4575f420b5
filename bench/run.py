"""Benchmark the full labourlens pipeline on generated news-length documents.

Generates `--docs` documents (bench/generate.py, seeded), analyses them (a) in this process,
timing every stage, and (b) across `--processes` worker processes (a multiprocessing Pool whose
initializer builds the Pipeline once per worker; documents go out in chunks), then reports
documents/s, words/s, ms/doc, peak RSS and the per-stage breakdown, writes the results as JSON
to bench/results/latest.json and prints a Markdown summary.

    .venv/bin/python bench/run.py --docs 1000
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing as mp
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generate import TARGET_WORDS, BenchDoc, generate

from labourlens.pipeline import Pipeline
from labourlens.pipeline.doc import AnalysisDoc
from labourlens.pipeline.stages import Stage
from labourlens.settings import load_settings

SCHEMA = "labourlens.bench/1"
TARGET_DOCS_PER_S = 50.0
TARGET_CORES = 2
TARGET_RSS_MIB = 1024.0
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "latest.json"

_WORKER: Pipeline | None = None


def _init_worker() -> None:
    """Pool initializer: build the pipeline once in this worker process."""
    global _WORKER
    _WORKER = Pipeline(load_settings())


def _warm(_: int) -> int:
    """Analyse a short text so that lazily built parts (the language detector) exist; return the pid."""
    assert _WORKER is not None
    _WORKER.analyze("The workers said their wages were paid on time and that they could leave freely.")
    time.sleep(0.2)  # hold this worker so that the other warm-up tasks reach the other workers
    return os.getpid()


def _analyze_chunk(texts: list[str]) -> tuple[int, int, float, float]:
    """Analyse a chunk of documents: (documents, documents with an indicator, wall s, CPU s)."""
    assert _WORKER is not None
    start, cpu = time.perf_counter(), time.process_time()
    flagged = 0
    for text in texts:
        if _WORKER.analyze(text).indicators:
            flagged += 1
    return len(texts), flagged, time.perf_counter() - start, time.process_time() - cpu


def machine() -> dict[str, Any]:
    """Cores, CPU model, Python version and platform of this machine."""
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        model = platform.processor() or "unknown"
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return {
        "cores": os.cpu_count() or 1,
        "cores_usable": usable,
        "cpu_model": model,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
    }


def _rss_mib(who: int) -> float:
    """Peak resident set size of `who` (RUSAGE_SELF or RUSAGE_CHILDREN) in MiB."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def _timed(stage: Stage, totals: dict[str, float]) -> Stage:
    """The stage with its run wrapped to add its time to totals[stage.name]."""
    inner = stage.run

    def run(doc: AnalysisDoc) -> None:
        t = time.perf_counter()
        inner(doc)
        totals[stage.name] += time.perf_counter() - t

    return dataclasses.replace(stage, run=run)


def _rates(docs: int, words: int, wall: float) -> dict[str, float]:
    return {
        "wall_s": round(wall, 3),
        "docs_per_s": round(docs / wall, 1) if wall else 0.0,
        "words_per_s": round(words / wall) if wall else 0.0,
    }


def run_single(docs: Sequence[BenchDoc]) -> dict[str, Any]:
    """Analyse every document in this process, timing each document and each stage."""
    t0 = time.perf_counter()
    pipeline = Pipeline(load_settings())
    pipeline.analyze(docs[0].text)  # builds the lazily loaded parts (language detector)
    startup = time.perf_counter() - t0
    totals = {stage.name: 0.0 for stage in pipeline.stages}
    pipeline.stages = [_timed(stage, totals) for stage in pipeline.stages]
    per_doc: list[float] = []
    flagged = {True: 0, False: 0}
    start, cpu = time.perf_counter(), time.process_time()
    for doc in docs:
        t = time.perf_counter()
        result = pipeline.analyze(doc.text, id=doc.id)
        per_doc.append(time.perf_counter() - t)
        if result.indicators:
            flagged[doc.evidence] += 1
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    words = sum(d.words for d in docs)
    busy = sum(per_doc)
    stages = [
        {
            "name": name,
            "total_s": round(total, 3),
            "ms_per_doc": round(1000 * total / len(docs), 3),
            "share": round(total / busy, 3) if busy else 0.0,
        }
        for name, total in totals.items()
    ]
    other = busy - sum(totals.values())
    stages.append(
        {
            "name": "other (language identification, result assembly)",
            "total_s": round(other, 3),
            "ms_per_doc": round(1000 * other / len(docs), 3),
            "share": round(other / busy, 3) if busy else 0.0,
        }
    )
    ordered = sorted(per_doc)
    return {
        "processes": 1,
        "startup_s": round(startup, 3),
        **_rates(len(docs), words, wall),
        "ms_per_doc_mean": round(1000 * statistics.fmean(per_doc), 3),
        "cpu_ms_per_doc": round(1000 * cpu / len(docs), 3),
        "ms_per_doc_p50": round(1000 * ordered[len(ordered) // 2], 3),
        "ms_per_doc_p95": round(1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3),
        "ms_per_doc_max": round(1000 * ordered[-1], 3),
        "docs_with_indicators": flagged[True] + flagged[False],
        "evidence_docs_with_indicators": flagged[True],
        "ordinary_docs_with_indicators": flagged[False],
        "stages": stages,
        "pipeline": pipeline.info,
    }


def run_parallel(docs: Sequence[BenchDoc], processes: int, chunk: int) -> dict[str, Any]:
    """Analyse every document across a Pool of `processes` workers, `chunk` documents per task."""
    chunks = [[d.text for d in docs[i : i + chunk]] for i in range(0, len(docs), chunk)]
    t0 = time.perf_counter()
    with mp.Pool(processes=processes, initializer=_init_worker) as pool:
        pids = set(pool.map(_warm, range(processes), chunksize=1))
        startup = time.perf_counter() - t0
        start = time.perf_counter()
        results = pool.map(_analyze_chunk, chunks, chunksize=1)
        wall = time.perf_counter() - start
        pool.close()
        pool.join()
    n = sum(r[0] for r in results)
    busy = sum(r[2] for r in results)
    cpu = sum(r[3] for r in results)
    return {
        "processes": processes,
        "workers_warmed": len(pids),
        "chunk": chunk,
        "start_method": mp.get_start_method(),
        "startup_s": round(startup, 3),
        **_rates(n, sum(d.words for d in docs), wall),
        "ms_per_doc_mean": round(1000 * busy / n, 3) if n else 0.0,
        "cpu_ms_per_doc": round(1000 * cpu / n, 3) if n else 0.0,
        "docs_with_indicators": sum(r[1] for r in results),
    }


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown tables."""
    m, c = report["machine"], report["corpus"]
    lines = [
        f"## labourlens benchmark ({report['generated_at']})",
        "",
        f"Machine: {m['cores']} cores ({m['cores_usable']} usable), {m['cpu_model']}, Python {m['python']}; "
        f"1-minute load average {m['load_avg_1m']['before']} before, {m['load_avg_1m']['after']} after "
        "(other processes' load slows the run).",
        f"Corpus: {c['docs']} generated documents (seed {c['seed']}), "
        f"{c['words_mean']:.0f} words on average, {c['evidence_docs']} with forced-labour evidence.",
        "",
        "| run | processes | docs/s | words/s | mean ms/doc | CPU ms/doc | wall s | startup s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in ("single", "parallel"):
        r = report.get(key)
        if r:
            lines.append(
                f"| {key} | {r['processes']} | {r['docs_per_s']:.1f} | {r['words_per_s']:,.0f} | "
                f"{r['ms_per_doc_mean']:.2f} | {r['cpu_ms_per_doc']:.2f} | {r['wall_s']:.2f} | "
                f"{r['startup_s']:.2f} |"
            )
    rss = report["rss_mib"]
    lines += [
        "",
        f"Peak RSS: {rss['self']:.0f} MiB (this process), {rss['children_max']:.0f} MiB (largest worker).",
        "",
        "| stage (single process) | total s | ms/doc | share |",
        "|---|---:|---:|---:|",
    ]
    for s in report["single"]["stages"] if report.get("single") else []:
        lines.append(
            f"| {s['name']} | {s['total_s']:.2f} | {s['ms_per_doc']:.3f} | {100 * s['share']:.1f}% |"
        )
    t = report["targets"]
    lines += [
        "",
        "| target | wanted | measured | met |",
        "|---|---|---|---|",
        f"| throughput on {TARGET_CORES} cores | ≥ {TARGET_DOCS_PER_S:.0f} docs/s | "
        f"{t['docs_per_s_on_2_cores']:.1f} docs/s ({t['docs_per_s_basis']}) | {_yes(t['throughput_met'])} |",
        f"| peak RSS | < {TARGET_RSS_MIB:.0f} MiB | {t['peak_rss_mib']:.0f} MiB | {_yes(t['rss_met'])} |",
        "",
        f"On {TARGET_CORES} otherwise idle cores the CPU time per document allows at most "
        f"{t['cpu_bound_docs_per_s_on_2_cores']:.1f} docs/s.",
    ]
    return "\n".join(lines)


def _yes(met: bool) -> str:
    return "yes" if met else "NO"


def _targets(report: dict[str, Any]) -> dict[str, Any]:
    """Check the throughput and memory targets; the throughput is taken on 2 processes where measured."""
    par, single = report.get("parallel"), report.get("single")
    if par and par["processes"] == TARGET_CORES:
        rate, basis = par["docs_per_s"], f"measured with {TARGET_CORES} processes"
    elif par:
        rate = par["docs_per_s"] * TARGET_CORES / par["processes"]
        basis = f"scaled from {par['processes']} processes"
    elif single:
        rate, basis = single["docs_per_s"] * TARGET_CORES, "single process × 2 (no parallel run)"
    else:
        rate, basis = 0.0, "not measured"
    peak = max(report["rss_mib"]["self"], report["rss_mib"]["children_max"])
    cpu_ms = (single or par or {}).get("cpu_ms_per_doc") or 0.0
    return {
        "cpu_bound_docs_per_s_on_2_cores": round(TARGET_CORES * 1000 / cpu_ms, 1) if cpu_ms else 0.0,
        "docs_per_s_min": TARGET_DOCS_PER_S,
        "rss_mib_max": TARGET_RSS_MIB,
        "docs_per_s_on_2_cores": round(rate, 1),
        "docs_per_s_basis": basis,
        "throughput_met": rate >= TARGET_DOCS_PER_S,
        "peak_rss_mib": round(peak, 1),
        "rss_met": peak < TARGET_RSS_MIB,
    }


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None, *, out: Callable[[str], Any] = print) -> int:
    """Run the benchmark and write the report; 0 when both targets are met, 1 otherwise."""
    default_procs = machine()["cores_usable"]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, default=1000, help="documents to generate (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--words", type=int, default=TARGET_WORDS, help="target words per document")
    parser.add_argument(
        "--processes", type=int, default=default_procs, help="workers (default: usable cores)"
    )
    parser.add_argument("--chunk", type=int, default=16, help="documents per worker task (default 16)")
    parser.add_argument("--no-single", action="store_true", help="skip the single-process run")
    parser.add_argument("--no-parallel", action="store_true", help="skip the multi-process run")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"JSON report path (default {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    if args.docs < 1 or args.processes < 1 or args.chunk < 1:
        parser.error("--docs, --processes and --chunk must be at least 1")

    docs = generate(args.docs, args.seed, args.words)
    words = sum(d.words for d in docs)
    load_before = os.getloadavg()[0]
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "corpus": {
            "docs": len(docs),
            "seed": args.seed,
            "words_total": words,
            "words_mean": round(words / len(docs), 1),
            "evidence_docs": sum(d.evidence for d in docs),
        },
    }
    if not args.no_single:
        report["single"] = run_single(docs)
        report["labourlens"] = report["single"].pop("pipeline")
    if not args.no_parallel:
        report["parallel"] = run_parallel(docs, args.processes, args.chunk)
    report["rss_mib"] = {
        "self": round(_rss_mib(resource.RUSAGE_SELF), 1),
        "children_max": round(_rss_mib(resource.RUSAGE_CHILDREN), 1),
    }
    report["machine"]["load_avg_1m"] = {
        "before": round(load_before, 2),
        "after": round(os.getloadavg()[0], 2),
    }
    report["targets"] = _targets(report)
    _write_json(args.out, report)
    out(markdown(report))
    out(f"\nJSON written to {args.out}")
    t = report["targets"]
    return 0 if t["throughput_met"] and t["rss_met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
