"""Uploads analysed in the background: a thread per upload writing through the store's ingest."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from labourlens.errors import LabourLensError
from labourlens.ingest import Document, read_bytes
from labourlens.settings import Settings
from labourlens.store import Store
from labourlens.store.ingest import IngestFailure, ingest

__all__ = ["Job", "JobRegistry"]

MAX_JOBS = 500


@dataclass
class Job:
    """One upload: its files, how far the analysis is, and what came of each file."""

    id: str
    user: str
    total: int
    done: int = 0
    state: str = "queued"
    added: list[str] = field(default_factory=list)
    duplicates: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user": self.user,
            "state": self.state,
            "total": self.total,
            "done": self.done,
            "added": self.added,
            "duplicates": self.duplicates,
            "errors": self.errors,
        }


class JobRegistry:
    """In-memory uploads, analysed one at a time by a worker thread (the pipeline is CPU bound)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="labourlens-upload")

    def get(self, job_id: str) -> Job | None:
        """The job with this id, else None."""
        with self._lock:
            return self._jobs.get(job_id)

    def submit(self, files: list[tuple[str, bytes]], user: str) -> Job:
        """Queue files (name, bytes) for analysis; return the job to poll."""
        job = Job(id=secrets.token_hex(8), user=user, total=len(files))
        with self._lock:
            if len(self._jobs) >= MAX_JOBS:
                for old in [k for k, j in self._jobs.items() if j.state == "done"][: MAX_JOBS // 2]:
                    del self._jobs[old]
            self._jobs[job.id] = job
        self._pool.submit(self._run, job, files)
        return job

    def _items(self, job: Job, files: list[tuple[str, bytes]]) -> Iterator[Document]:
        """The documents of the files; a file that can't be read is an error of the job, named."""
        for name, data in files:
            try:
                yield from read_bytes(data, name, self.settings)
            except LabourLensError as exc:
                job.errors.append(
                    {"source": name, "error": exc.message + (f" {exc.hint}" if exc.hint else "")}
                )
                job.done += 1

    def _run(self, job: Job, files: list[tuple[str, bytes]]) -> None:
        job.state = "running"

        def progress(event: str, source: str) -> None:
            job.done += 1
            if event == "duplicate":
                job.duplicates += 1

        def failed(failure: IngestFailure) -> None:
            job.errors.append({"source": str(failure.source), "error": str(failure.message)})

        try:
            report = ingest(
                self.store,
                self._items(job, files),
                settings=self.settings,
                user=job.user,
                jobs=1,
                progress=progress,
                on_failure=failed,
            )
            job.added = [d.ref for d in self.store.documents_by_id(report.added_ids)]
        except Exception as exc:  # the job must end, whatever happened; the message is shown
            job.errors.append({"source": "upload", "error": str(exc)})
        job.total = max(job.total, job.done)
        job.state = "done"

    def close(self) -> None:
        """Stop taking jobs and wait for the running one."""
        self._pool.shutdown(wait=True, cancel_futures=True)
