"""Extraction in worker processes that die with the crawl: python -m crawler.extractworker.

A crawl spends most of its CPU on extraction; workers let it download and store in one
process while pages are read in others. multiprocessing's pools outlive a crawl that is
killed (their workers wait forever on a queue whose other end they hold themselves),
so each worker here is a plain child process fed through its stdin: when the crawl
ends, however it ends, the pipe closes and the worker exits.

Messages are length-prefixed pickles between a parent and the child it started.
"""

from __future__ import annotations

import contextlib
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from concurrent.futures import Future
from typing import Any, BinaryIO

HEADER = 8


class WorkerDied(RuntimeError):
    """A worker process ended or answered nonsense; the caller extracts in-process instead."""


class JobFailed(RuntimeError):
    """The job raised inside the worker (which lives on)."""


def _read_exactly(stream: BinaryIO, n: int) -> bytes | None:
    chunks = []
    while n:
        chunk = stream.read(n)
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _send(stream: BinaryIO, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(HEADER, "big") + data)
    stream.flush()


def _receive(stream: BinaryIO) -> Any:
    header = _read_exactly(stream, HEADER)
    if header is None:
        raise EOFError
    body = _read_exactly(stream, int.from_bytes(header, "big"))
    if body is None:
        raise EOFError
    return pickle.loads(body)


def serve() -> None:
    """The worker's loop: one job in, one result out, until stdin closes."""
    from crawler.analysis import analyse_page, warm_up

    warm_up()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            job = _receive(stdin)
        except EOFError:
            return
        try:
            result = ("ok", analyse_page(*job))
        except Exception as e:  # a page that breaks extraction must not end the worker
            result = ("error", f"{type(e).__name__}: {e}")
        try:
            _send(stdout, result)
        except BrokenPipeError:
            return


class Worker:
    """One worker process fed through a queue, so it always has its next page waiting.

    submit() returns at once with a Future; a writer thread feeds the pipe (a large page
    must not block the crawl's event loop) and a reader thread resolves the Futures in
    order, the worker answering jobs one by one as they came.
    """

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.extractworker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.pending: deque[Future] = deque()
        self.jobs: queue.SimpleQueue[tuple | None] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.dead: BaseException | None = None
        threading.Thread(target=self._write, daemon=True, name="extract-writer").start()
        threading.Thread(target=self._read, daemon=True, name="extract-reader").start()

    @property
    def load(self) -> int:
        return len(self.pending)

    def submit(self, job: tuple) -> Future:
        future: Future = Future()
        with self.lock:
            if self.dead is not None:
                future.set_exception(WorkerDied(f"extraction worker {self.proc.pid} ended ({self.dead})"))
                return future
            self.pending.append(future)
        self.jobs.put(job)
        return future

    def _write(self) -> None:
        while (job := self.jobs.get()) is not None:
            try:
                _send(self.proc.stdin, job)
            except (BrokenPipeError, OSError, pickle.PicklingError) as e:
                self._die(e)
                return
        with contextlib.suppress(OSError):
            self.proc.stdin.close()

    def _read(self) -> None:
        while True:
            try:
                status, value = _receive(self.proc.stdout)
            except (EOFError, OSError, pickle.UnpicklingError, ValueError) as e:
                self._die(e or EOFError("no answer"))
                return
            with self.lock:
                future = self.pending.popleft() if self.pending else None
            if future is None:
                continue
            if status == "ok":
                future.set_result(value)
            else:
                future.set_exception(JobFailed(value))

    def _die(self, reason: BaseException) -> None:
        with self.lock:
            if self.dead is None:
                self.dead = reason
            failed, self.pending = list(self.pending), deque()
        for future in failed:
            if not future.done():
                future.set_exception(WorkerDied(f"extraction worker {self.proc.pid} ended ({reason})"))

    def close(self, timeout: float = 10) -> None:
        self.jobs.put(None)  # the writer closes stdin once the queued pages are sent
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class WorkerPool:
    """n workers; each page goes to the one with the least work waiting. A dead worker is replaced."""

    def __init__(self, n: int) -> None:
        self.workers = [Worker() for _ in range(n)]
        self.lock = threading.Lock()

    def submit(self, job: tuple) -> Future:
        with self.lock:
            for i, w in enumerate(self.workers):
                if w.dead is not None:
                    with contextlib.suppress(OSError):
                        w.proc.kill()
                    self.workers[i] = Worker()
            worker = min(self.workers, key=lambda w: w.load)
        return worker.submit(job)

    def close(self) -> None:
        for w in self.workers:
            w.close()


if __name__ == "__main__":
    serve()
