"""Long-lived worker processes for `tjanste alla`: each imports tjanste once and runs many tasks; a worker that dies fails only its task."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

# forkserver: one process imports tjanste (PRELOAD) and forks each worker from it, so a worker starts in milliseconds
# with the modules already imported; no worker is forked from a parent that may hold threads or locks (as 'fork' would).
START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
PRELOAD = ["tjanste.commands.batch", "tjanste.commands.pipeline"]
STOP_SECONDS = 10.0  # after Ctrl-C: how long a worker may take to unwind (its staging folders removed) before it is killed


@dataclass(frozen=True)
class Done:
    """What a task gave back (value), or why it gave nothing (error, in Swedish, for the task's own line)."""

    value: Any = None
    error: str = ""


Task = tuple[Callable[..., Any], tuple[Any, ...]]


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(1)  # unwinds the task, so that its finally blocks remove what it staged


def _serve(connection: Connection, environment: dict[str, str], folder: str) -> None:
    """A worker: runs each task it is sent and sends back a Done, until it is sent None or its parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent decides what stops
    signal.signal(signal.SIGTERM, _stop)
    os.environ.clear()  # a forkserver was started once, perhaps with another TJANSTE_ROT or folder than this run's
    os.environ.update(environment)
    os.chdir(folder)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        function, arguments = task
        try:
            done = Done(function(*arguments))
        except Exception as error:  # noqa: BLE001 - reported as the task's own failure; the worker goes on
            done = Done(error=f"{type(error).__name__}: {error}")
        try:
            connection.send(done)
        except (BrokenPipeError, ConnectionResetError, EOFError):
            return  # the parent is gone (killed): nobody to report to, so the worker ends without a word
        except Exception as error:  # noqa: BLE001 - a value that cannot be pickled: the task's failure, not the worker's
            try:
                connection.send(Done(error=f"{type(error).__name__}: {error}"))
            except (BrokenPipeError, ConnectionResetError, EOFError):
                return


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        return f"arbetsprocessen avslutades av signalen {name}"
    return f"arbetsprocessen avslutades oväntat (kod {exitcode})"


class _Worker:
    def __init__(self, context: Any) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, dict(os.environ), os.getcwd()), daemon=True)
        self.process.start()
        child.close()


class Pool:
    """`jobs` workers; run() hands out tasks one at a time to whichever is free and yields each result as it comes."""

    def __init__(self, jobs: int) -> None:
        self.context = multiprocessing.get_context(START_METHOD)
        if START_METHOD == "forkserver":
            self.context.set_forkserver_preload(PRELOAD)
        self.jobs = jobs
        self.workers: list[_Worker] = []

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.close(interrupted=kind is not None)

    def run(self, tasks: list[Task]) -> Iterator[tuple[int, Done]]:
        """Yields (index of the task, Done) in the order tasks finish; a worker that dies gives its task a Done with the reason."""
        pending = deque(enumerate(tasks))
        busy: dict[_Worker, int] = {}
        idle = list(self.workers)
        while pending or busy:
            while pending and (idle or len(busy) < self.jobs):
                worker = idle.pop() if idle else self._start()
                index, task = pending.popleft()
                try:
                    worker.connection.send(task)
                except (BrokenPipeError, ConnectionResetError):  # died before it got the task: the task runs elsewhere
                    pending.appendleft((index, task))
                    self._forget(worker)
                    continue
                busy[worker] = index
            ready = wait([w.connection for w in busy] + [w.process.sentinel for w in busy])
            for worker in [w for w in busy if w.connection in ready or w.process.sentinel in ready]:
                index = busy.pop(worker)
                done = None
                if worker.connection.poll():
                    with contextlib.suppress(EOFError, OSError):
                        done = worker.connection.recv()
                if done is None:
                    worker.process.join()
                    self._forget(worker)
                    done = Done(error=_death(worker.process.exitcode))
                else:
                    idle.append(worker)
                yield index, done

    def _start(self) -> _Worker:
        worker = _Worker(self.context)
        self.workers.append(worker)
        return worker

    def _forget(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        worker.connection.close()

    def close(self, *, interrupted: bool = False) -> None:
        """Ends every worker: asked to stop after its task, or, after Ctrl-C, stopped at once (SIGTERM unwinds its task)."""
        for worker in self.workers:
            if interrupted:
                worker.process.terminate()
                # A SIGTERM that lands just before an idle worker's read() begins is handled only when the read returns:
                # closing our end makes that read return (EOF) instead of blocking until the kill below.
                worker.connection.close()
            else:
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
        for worker in self.workers:
            worker.process.join(STOP_SECONDS)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()
        self.workers = []
