"""SIGTERM and SIGINT caught, so a radar process stops in its own time and exits 0."""

from __future__ import annotations

import select
import signal
import socket
from types import FrameType, TracebackType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopSignals:
    """SIGTERM and SIGINT, caught and recorded while open, so the process stops in its own time
    (after the running jobs) instead of at once. The handler only records: it runs between two
    steps of whatever the main thread is doing, and taking a lock there could deadlock."""

    def __init__(self) -> None:
        self.received: list[int] = []

    def __enter__(self) -> StopSignals:
        # Python's C-level handler writes each signal's number here the moment it arrives, so
        # `wait` cannot miss one that came just before it started waiting.
        self._reader, self._writer = socket.socketpair()
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {number: signal.signal(number, self._record) for number in STOP_SIGNALS}
        return self

    def _record(self, number: int, _frame: FrameType | None) -> None:
        self.received.append(number)

    def wait(self) -> None:
        """Until a stop signal comes (at once if one came already)."""
        while not self.received:
            select.select([self._reader], [], [])
            self._reader.recv(64)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()
