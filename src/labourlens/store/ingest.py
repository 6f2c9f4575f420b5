"""Batch ingest: analyse documents across the cores and store each in a transaction of its own.

    report = ingest(store, documents, settings=Settings(), user="ana", jobs=2)

The documents (or the errors that stopped reading one) come from labourlens.ingest's readers.
Texts already in the base are skipped before any analysis, so an interrupted ingest resumes
where it stopped when run again, and running it twice adds nothing. Analysis runs in a pool of
worker processes, each with its own Pipeline; the parent writes the results in input order,
one transaction per document, so a crash leaves whole documents only. A document that can't
be read or analysed is recorded as a failure and the batch goes on.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy.exc import DataError, IntegrityError

from labourlens.errors import LabourLensError, StoreError
from labourlens.ingest import Document
from labourlens.ingest.document import document_metadata
from labourlens.model import Analysis
from labourlens.settings import Settings
from labourlens.store.repository import Store, content_hash

__all__ = [
    "Analyzer",
    "IngestFailure",
    "IngestReport",
    "default_jobs",
    "ingest",
    "pipeline_for",
]

T = TypeVar("T")
# (event, source): event is "added", "duplicate" or "failed".
ProgressFn = Callable[[str, str], None]
Job = tuple[str, str | None, dict[str, Any]]  # text, id, metadata
MAX_AUDITED_FAILURES = 100
_QUOTED = re.compile(r"'([^']+)'")


@dataclass
class IngestFailure:
    """A document that could not be read, analysed or stored."""

    source: str
    code: str
    message: str
    hint: str | None = None

    @classmethod
    def of(cls, exc: BaseException, source: str) -> IngestFailure:
        if isinstance(exc, LabourLensError):
            return cls(source, exc.code, exc.message, exc.hint)
        return cls(source, "internal_error", f"{type(exc).__name__}: {exc}".rstrip(": "))

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "code": self.code, "message": self.message, "hint": self.hint}


@dataclass
class IngestReport:
    """What an ingest did: documents added, already there (duplicates), failed, and how long it took."""

    added: int = 0
    duplicates: int = 0
    failed: list[IngestFailure] = field(default_factory=list)
    seconds: float = 0.0
    added_ids: list[int] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.added + self.duplicates + len(self.failed)

    @property
    def rate(self) -> float:
        """Documents added per second."""
        return self.added / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "duplicates": self.duplicates,
            "failed": len(self.failed),
            "seconds": round(self.seconds, 3),
            "documents_per_second": round(self.rate, 2),
            "failures": [f.to_dict() for f in self.failed],
        }


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------------------------------------
# Worker side

_WORKER: Any = None


@functools.lru_cache(maxsize=2)
def pipeline_for(settings: Settings) -> Any:
    """The Pipeline for these settings, built once per process (a forked worker inherits the parent's)."""
    from labourlens.pipeline import Pipeline

    return Pipeline(settings)


def _init_worker(settings: Settings) -> None:
    """Pool initializer: this worker's Pipeline (built here unless the parent had built it)."""
    global _WORKER
    _WORKER = pipeline_for(settings)


def _analyze_one(pipeline: Any, job: Job) -> Analysis | IngestFailure:
    text, doc_id, meta = job
    try:
        result: Analysis = pipeline.analyze(text, id=doc_id, metadata=meta)
        return result
    except Exception as exc:
        return IngestFailure.of(exc, str(meta.get("input") or meta.get("source") or doc_id or "?"))


def _analyze_chunk(jobs: list[Job]) -> list[Analysis | IngestFailure]:
    """Analyse a chunk of documents in a worker."""
    return [_analyze_one(_WORKER, job) for job in jobs]


class Analyzer(Generic[T]):
    """Analyses items across worker processes (or in this one for jobs=1), yielding results in input order.

    settings: the pipeline's settings; jobs: worker processes; chunk: documents per task.
    At most 2 x jobs chunks are in flight, so memory stays bounded however long the input.
    """

    def __init__(self, settings: Settings, *, jobs: int = 1, chunk: int = 8) -> None:
        self.settings = settings
        self.jobs = max(1, jobs)
        self.chunk = max(1, chunk)
        self._pool: Any = None

    def __enter__(self) -> Analyzer[T]:
        return self

    def _start(self) -> Any:
        """The worker pool, started on the first chunk (an ingest of known texts never starts it)."""
        if self._pool is None:
            import multiprocessing as mp

            self._pool = mp.get_context("fork" if hasattr(os, "fork") else "spawn").Pool(
                self.jobs, initializer=_init_worker, initargs=(self.settings,)
            )
        return self._pool

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if self._pool is not None:
            if exc_type is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None

    @property
    def pipeline(self) -> Any:
        """The in-process pipeline (built on first use, shared by the analyzers of this process)."""
        return pipeline_for(self.settings)

    def map(self, items: Iterable[tuple[T, Job]]) -> Iterator[tuple[T, Analysis | IngestFailure]]:
        """Yield (item, its Analysis or the failure) for each (item, job), in order."""
        if self.jobs == 1:
            for item, job in items:
                yield item, _analyze_one(self.pipeline, job)
            return
        pending: deque[tuple[list[T], Any]] = deque()
        batch: list[tuple[T, Job]] = []

        def submit() -> None:
            task = self._start().apply_async(_analyze_chunk, ([j for _, j in batch],))
            pending.append(([i for i, _ in batch], task))
            batch.clear()

        for pair in items:
            batch.append(pair)
            if len(batch) >= self.chunk:
                submit()
                while len(pending) >= 2 * self.jobs:
                    yield from self._drain(pending)
        if batch:
            submit()
        while pending:
            yield from self._drain(pending)

    @staticmethod
    def _drain(pending: deque[tuple[list[T], Any]]) -> Iterator[tuple[T, Analysis | IngestFailure]]:
        items, result = pending.popleft()
        yield from zip(items, result.get(), strict=True)


# ---------------------------------------------------------------------------------------------
# Parent side


def _windows(
    items: Iterable[Document | LabourLensError], size: int
) -> Iterator[list[Document | LabourLensError]]:
    window: list[Document | LabourLensError] = []
    for item in items:
        window.append(item)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


def ingest(
    store: Store,
    items: Iterable[Document | LabourLensError],
    *,
    settings: Settings,
    user: str,
    jobs: int = 1,
    batch_size: int = 8,
    progress: ProgressFn | None = None,
    on_failure: Callable[[IngestFailure], None] | None = None,
) -> IngestReport:
    """Analyse and store documents; skip texts already stored; record failures and go on.

    items: Documents, or the LabourLensErrors that stopped reading one (cli.inputs.iter_documents);
    settings: the pipeline's; user: who ingests (kept with each document and in the audit log);
    jobs: worker processes; batch_size: documents per worker task (and per duplicate check);
    progress: called for every document with its outcome; on_failure: called for each failure as
    it happens (to write a log). Raises StoreError when the database itself fails.
    """
    report = IngestReport()
    started = time.perf_counter()
    seen: set[str] = set()

    def note(event: str, source: str) -> None:
        if progress is not None:
            progress(event, source)

    def fail(failure: IngestFailure) -> None:
        report.failed.append(failure)
        if on_failure is not None:
            on_failure(failure)
        note("failed", failure.source)

    def fresh() -> Iterator[tuple[tuple[Document, str], Job]]:
        """The documents not yet stored, as (document, hash) with the analysis job."""
        for window in _windows(items, max(1, batch_size) * 4):
            docs: list[tuple[Document, str]] = []
            for item in window:
                if isinstance(item, LabourLensError):
                    fail(IngestFailure.of(item, _source_of(item)))
                    continue
                digest = content_hash(item.text)
                if digest in seen:
                    report.duplicates += 1
                    note("duplicate", item.source)
                    continue
                seen.add(digest)
                docs.append((item, digest))
            stored = store.existing_hashes(d for _, d in docs)
            for doc, digest in docs:
                if digest in stored:
                    report.duplicates += 1
                    note("duplicate", doc.source)
                else:
                    yield (doc, digest), (doc.text, doc.id, document_metadata(doc))

    try:
        with Analyzer[tuple[Document, str]](settings, jobs=jobs, chunk=batch_size) as analyzer:
            for (doc, digest), result in analyzer.map(fresh()):
                if isinstance(result, IngestFailure):
                    result.source = doc.source
                    fail(result)
                    continue
                try:
                    doc_id = store.add_document(doc, result, user=user, sha256=digest)
                except StoreError as exc:
                    if not isinstance(exc.__cause__, DataError | IntegrityError):
                        raise  # the database itself is failing: stop
                    fail(IngestFailure.of(exc, doc.source))
                    continue
                if doc_id is None:
                    report.duplicates += 1
                    note("duplicate", doc.source)
                else:
                    report.added += 1
                    report.added_ids.append(doc_id)
                    note("added", doc.source)
    finally:
        report.seconds = time.perf_counter() - started
        details = report.to_dict()
        details["failures"] = details["failures"][:MAX_AUDITED_FAILURES]
        # when the database is what failed, the error that stopped the ingest is the one to show
        with contextlib.suppress(StoreError):
            store.record("ingest", user, None, details)
    return report


def _source_of(exc: LabourLensError) -> str:
    """The input an error names (the first 'quoted' name in its message), else '?'."""
    found = _QUOTED.search(exc.message)
    return found.group(1) if found else "?"
