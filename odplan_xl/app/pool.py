"""Worker processes that take one task at a time; a worker that dies costs only its own task.

concurrent.futures' process pool was tried first: on Python 3.11, a worker dying while another was
starting left the whole pool hanging in shutdown (a measured hang, not a theory). Here each worker
has its own pipe, the parent watches pipes and process sentinels itself, and nothing else is shared.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.connection import wait
from typing import Any

CRASHED = "crashed"
READY, OK, ERROR, DEAD = "ready", "ok", "error", "dead"
START_FAILURES = 2          # fresh workers dying before they are even ready: the pool cannot work


class PoolError(RuntimeError):
    """Worker processes die as soon as they start (typically: a script without a __main__ guard)."""


# What workers of batch and national both use (reading and checking plans): the default preload.
WORKER_PRELOAD = ("odplan_xl.app.batch", "odplan_xl.app.check")


def default_context(preload: Sequence[str] = WORKER_PRELOAD) -> Any:
    """Workers forked from a clean, single-threaded server that has already imported `preload`.

    Plain fork would copy the locks of the parent's other threads (a progress display's refresh
    thread) and can deadlock; spawn would import everything again in each worker. Windows: spawn.
    The modules the workers need are imported once, by the server; the parent need not import them.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(preload))
        return ctx
    return multiprocessing.get_context("spawn")


def _terminated(signum: int, frame: Any) -> None:
    # SystemExit unwinds the task: `finally` blocks remove the temporary files of atomic writes
    sys.exit(128 + signum)


def _serve(conn: Any, fn: Callable[[Any], Any]) -> None:
    """A worker's life: say it is ready, then for each task send ("ok", result) or ("error", "Type: message").

    None stops it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the parent's decision
    signal.signal(signal.SIGTERM, _terminated)
    conn.send((READY, None))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            answer = (OK, fn(task))
        except Exception as exc:
            answer = (ERROR, f"{type(exc).__name__}: {exc}")
        try:
            conn.send(answer)
        except Exception as exc:   # a result that cannot be pickled
            conn.send((ERROR, f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, ctx: Any, fn: Callable[[Any], Any]):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, fn), daemon=True)
        self.proc.start()
        child.close()
        self.task: Any = None
        self.ready = False          # it said so: it got past start-up

    def give(self, task: Any) -> bool:
        try:
            self.conn.send(task)
        except OSError:            # died before we spoke
            return False
        self.task = task
        return True

    def receive(self) -> tuple[str, Any] | None:
        """What became of the current task: (OK | ERROR, payload), (DEAD, None), or None (still at work)."""
        while True:
            try:
                if self.conn.poll():
                    kind, payload = self.conn.recv()
                    if kind == READY:
                        self.ready = True
                        continue
                    return kind, payload
            except (EOFError, OSError):
                return DEAD, None
            if self.proc.is_alive():
                return None
            if not self.conn.poll():     # dead, and nothing left to read
                return DEAD, None

    def close(self, timeout: float = 5) -> None:
        if self.proc.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.proc.join(timeout)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def run(fn: Callable[[Any], Any], tasks: Iterable[Any], jobs: int, *,
        started: Callable[[Any], None], finished: Callable[[Any, Any], None],
        failed: Callable[[Any, str], None], retries: int = 1, context: Any = None) -> None:
    """Call fn(task) in up to `jobs` worker processes; report each task through the callbacks.

    `fn` is a module-level function. A task whose worker dies is tried again `retries` times, then
    reported to `failed` with CRASHED; an exception in `fn` is reported as "Type: message".
    The callbacks run in this process. If one raises (or Ctrl-C), no new task starts, the tasks in
    progress are allowed to finish (their answers are dropped), the workers stop, and the
    exception goes on.
    """
    ctx = context or default_context()
    queue = deque(tasks)
    tries: Counter[int] = Counter()
    workers: list[_Worker] = []
    start_failures = 0
    try:
        while True:
            idle = [w for w in workers if w.task is None]
            while queue and (idle or len(workers) < jobs):
                worker = idle.pop() if idle else _Worker(ctx, fn)
                if worker not in workers:
                    workers.append(worker)
                task = queue.popleft()
                if not worker.give(task):
                    workers.remove(worker)
                    worker.close(0)
                    queue.appendleft(task)
                    continue
                started(task)
            busy = [w for w in workers if w.task is not None]
            if not busy:
                return
            ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy]))
            for worker in busy:
                if worker.conn not in ready and worker.proc.sentinel not in ready:
                    continue
                message = worker.receive()
                if message is None:                     # it only said it is ready
                    continue
                task, worker.task = worker.task, None
                kind, payload = message
                if kind == OK:
                    finished(task, payload)
                elif kind == ERROR:
                    failed(task, payload)
                else:                                   # the process died on this task
                    workers.remove(worker)
                    worker.close(0)
                    start_failures = 0 if worker.ready else start_failures + 1
                    if start_failures >= START_FAILURES:
                        raise PoolError(_START_HELP)
                    tries[id(task)] += 1
                    if tries[id(task)] <= retries:
                        queue.appendleft(task)
                    else:
                        failed(task, CRASHED)
    finally:
        _stop(workers)


_START_HELP = ("worker processes die as soon as they start. A script that calls odplan-xl's batch "
               "conversion must do so under `if __name__ == \"__main__\":` (workers import the main "
               "script again).")


def _stop(workers: list[_Worker]) -> None:
    """Let busy workers finish their task (their files stay whole), then stop everyone.

    A second Ctrl-C while waiting terminates them: SIGTERM unwinds their task, so temporary files
    are still removed.
    """
    try:
        busy = [w for w in workers if w.task is not None]
        while busy:
            ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy]))
            for worker in [w for w in busy if w.conn in ready or w.proc.sentinel in ready]:
                if worker.receive() is not None:
                    worker.task = None
                    busy.remove(worker)
    except BaseException:
        for worker in workers:
            if worker.proc.is_alive():
                worker.proc.terminate()
        raise
    finally:
        for worker in workers:
            worker.close()
