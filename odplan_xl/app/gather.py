"""National: every plan read and checked in worker processes, its summary facts and the rows the figures need."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from odplan_xl import schema
from odplan_xl.app import pool
from odplan_xl.app.batch import (
    COMPLETE,
    INCOMPLETE,
    BatchEvent,
    Input,
    collect,
    lost_record,
    run_guarded,
)
from odplan_xl.app.check import check
from odplan_xl.coordinator import followup
from odplan_xl.coordinator.catalogue import url_in
from odplan_xl.errors import OdplanError
from odplan_xl.plan.derived import priority
from odplan_xl.plan.model import Plan
from odplan_xl.sheets.summary import facts

Progress = Callable[[BatchEvent], None]

DATASET_KEYS = ("title", "description", "producer", "format", "publish_date", "frequency", "channel", "progress")
CONTACT_KEYS = ("officer", "officer_email", "officer_phone")
TRAINING_KEYS = ("kind", "title", "audience", "participants", "days", "start", "end")


@dataclass(frozen=True)
class Task:
    index: int
    path: str
    shown: str


def rows(plan: Plan) -> dict[str, list[dict[str, Any]]]:
    """The planned datasets (with their priority) and trainings of a plan, as plain values."""
    datasets = [{**{k: row.get(k) for k in DATASET_KEYS}, "priority": priority(row), "row": row.number}
                for row in plan.sections["datasets"].rows]
    trainings = [{k: row.get(k) for k in TRAINING_KEYS} for row in plan.sections["trainings"].rows]
    return {"dataset_rows": datasets, "training_rows": trainings, **followup.record(plan),
            "contact": {k: plan.cover.get(k) for k in CONTACT_KEYS}, "site": site(plan)}


def site(plan: Plan) -> str | None:
    """The body's own site, when the plan gives one: a web address in a section 5 tool of the type
    «بوابة خاصة بالهيكل» (its name or description)."""
    for row in plan.sections["tools"].rows:
        if row.get("tool_type") == schema.TOOL_TYPES[1]:
            url = url_in(f"{row.get('tool') or ''} {row.get('description') or ''}")
            if url:
                return url
    return None


def read_one(task: Task) -> dict[str, Any]:
    """Read and check one plan (in a worker); a record like batch's plus its rows. Never raises."""
    return run_guarded(task, _read)


def _read(rec: dict[str, Any]) -> None:
    rec.update(dataset_rows=[], training_rows=[])
    plan, report = check(rec["path"])
    rec.update(read=True, **facts(plan, report), **rows(plan),
               cells={"required": sum(s.required for s in report.sections),
                      "filled": sum(s.filled for s in report.sections)})
    rec["result"] = COMPLETE if report.ok else INCOMPLETE


def read_all(items: list[Input], *, jobs: int | None = None, progress: Progress | None = None
             ) -> list[dict[str, Any]]:
    """Records of every input, in input order, read by up to `jobs` worker processes (default: every core)."""
    total = len(items)
    done: dict[int, dict[str, Any]] = {}

    def emit(kind: str, **kw: Any) -> None:
        if progress is not None:
            progress(BatchEvent(kind, len(done), total, **kw))

    def finish(task: Task, rec: dict[str, Any]) -> None:
        done[task.index] = rec
        emit("file", file=rec["file"], result=rec["result"])

    def failed(task: Task, why: str) -> None:
        finish(task, {**lost_record(task, why), "dataset_rows": [], "training_rows": []})

    tasks = [Task(k, str(item.path), item.shown) for k, item in enumerate(items)]
    emit("begin")
    jobs = max(1, min(jobs or os.cpu_count() or 1, total or 1))
    try:
        pool.run(read_one, tasks, jobs, started=lambda task: emit("start", file=task.shown),
                 finished=finish, failed=failed)
    except pool.PoolError as exc:
        raise OdplanError("workers-fail") from exc
    return [done[k] for k in range(total)]


def read_inputs(inputs: Iterable[str | os.PathLike[str]], *, skip: Iterable[Path] = ()) -> list[Input]:
    """The plans named by files, folders and glob patterns (as for batch)."""
    items = collect(inputs, skip=skip)
    if not items:
        raise OdplanError("no-inputs")
    return items
