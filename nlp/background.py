"""Tag in a second process, ahead of the caller, so tagging overlaps storing and indexing.

`BackgroundTagger.tag_many` yields the same results in the same order as `Tagger.tag_many`.
An input of one batch is tagged in this process (no process start for a handful of items);
a longer one starts a worker process, tags the first batch here while the worker loads its
pipelines, and then keeps up to `AHEAD` batches queued in the worker while the caller works
on the results already returned. When the caller asks for results the worker has not finished,
this process tags the next batch itself instead of waiting (up to `QUEUED` batches ahead), so
both cores stay busy whichever side is slower.

The worker reads requests from a pipe whose other end only this process holds: if this
process dies (even by SIGKILL) the worker reads end-of-file and exits, so no tagger is left
behind.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

from nlp.items import ItemIn, TaggedItem
from nlp.tagger import Tagger

AHEAD = 2  # batches sent to the worker and not yet returned
QUEUED = 6  # batches tagged or being tagged and not yet returned to the caller
WORKER = None  # in the queue of batches: the worker's next result


class ItemTagger(Protocol):
    def tag_many(self, items: Iterable[ItemIn], batch_size: int = 256) -> Iterator[TaggedItem]: ...


class TaggingError(RuntimeError):
    """The tagging process failed or stopped; nothing it had not returned was stored."""


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def tagger_for_ingest(tagger: Tagger | None = None) -> ItemTagger:
    """A tagger in a second process when there is a second core to run it on; else in this one."""
    tagger = tagger or Tagger()
    return BackgroundTagger(tagger) if usable_cores() > 1 else tagger


class BackgroundTagger:
    def __init__(self, tagger: Tagger) -> None:
        self.tagger = tagger  # tags here; the worker builds its own from the same data

    def tag_many(self, items: Iterable[ItemIn], batch_size: int = 256) -> Iterator[TaggedItem]:
        iterator = iter(items)
        first = list(islice(iterator, batch_size))
        second = list(islice(iterator, batch_size))
        if not second:
            yield from self.tagger.tag_many(first, batch_size)
            return
        with TaggingWorker(self.tagger.data_dir, self.tagger.taxonomy_path) as worker:
            worker.send(second)
            # Batches in input order: the results of one tagged here, or WORKER for the worker's next.
            queued: deque[list[TaggedItem] | None] = deque([self._here(first, batch_size), WORKER])
            in_worker, exhausted = 1, False
            while queued:
                while in_worker < AHEAD and not exhausted:
                    if batch := list(islice(iterator, batch_size)):
                        worker.send(batch)
                        queued.append(WORKER)
                        in_worker += 1
                    else:
                        exhausted = True
                head = queued[0]
                if head is not WORKER:
                    yield from queued.popleft() or ()
                elif exhausted or worker.ready() or len(queued) >= QUEUED:
                    queued.popleft()
                    in_worker -= 1
                    yield from worker.receive()
                elif batch := list(islice(iterator, batch_size)):
                    # The worker is behind: this process tags the next batch rather than wait.
                    queued.append(self._here(batch, batch_size))
                else:
                    exhausted = True

    def _here(self, batch: list[ItemIn], batch_size: int) -> list[TaggedItem]:
        return list(self.tagger.tag_many(batch, batch_size))


class TaggingWorker:
    """One spawned process holding a Tagger; batches go in, lists of results come back in order.

    Requests and replies travel on two one-way pipes, and a thread of this process does the
    sending: a big batch going in and a big result coming out can then never wait on each other.
    """

    def __init__(self, data_dir: Path, taxonomy_path: Path) -> None:
        context = multiprocessing.get_context("spawn")  # not fork: the caller may hold index threads
        requests_in, self._requests = context.Pipe(duplex=False)
        self._replies, replies_out = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_serve, args=(requests_in, replies_out, data_dir, taxonomy_path), name="radar-tagger", daemon=True
        )
        self.process.start()
        requests_in.close()
        replies_out.close()
        self._outbox: queue.SimpleQueue[list[ItemIn] | None] = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send_all, name="radar-tagger-sender", daemon=True)
        self._sender.start()

    def _send_all(self) -> None:
        try:
            while (batch := self._outbox.get()) is not None:
                self._requests.send(batch)
        except OSError:
            pass  # the worker is gone; receive() says so
        finally:
            self._requests.close()  # the worker reads end-of-file and returns

    def send(self, batch: list[ItemIn]) -> None:
        self._outbox.put(batch)

    def ready(self) -> bool:
        """Whether a result (or the news that the worker stopped) is waiting."""
        return self._replies.poll()

    def receive(self) -> list[TaggedItem]:
        try:
            reply = self._replies.recv()
        except (EOFError, OSError) as exc:
            raise self._stopped() from exc
        if isinstance(reply, str):
            raise TaggingError(f"The tagging process failed on a batch:\n{reply}")
        return list(reply)

    def _stopped(self) -> TaggingError:
        self.process.join(timeout=5)
        return TaggingError(
            f"The tagging process (pid {self.process.pid}) stopped unexpectedly "
            f"(exit code {self.process.exitcode}); items tagged before it stopped are kept, "
            "and running the same command again completes the rest."
        )

    def close(self) -> None:
        self._replies.close()  # a worker still sending a reply gets an error and returns
        self._outbox.put(None)
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self._sender.join()

    def __enter__(self) -> TaggingWorker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _serve(requests: Connection, replies: Connection, data_dir: Path, taxonomy_path: Path) -> None:
    tagger = Tagger(data_dir, taxonomy_path)
    while True:
        try:
            batch = requests.recv()
        except (EOFError, OSError):
            return  # the caller closed the pipe or died
        try:
            reply: list[TaggedItem] | str = list(tagger.tag_many(batch, max(len(batch), 1)))
        except Exception:  # reported to the caller, which raises it there
            reply = traceback.format_exc()
        try:
            replies.send(reply)
        except OSError:
            return
