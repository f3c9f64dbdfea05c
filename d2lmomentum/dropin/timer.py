"""``d2l.Timer``: several running times, recorded one after the other."""
import time

import numpy as np


class Timer:
    """Record multiple running times, as ``d2l.Timer`` (seconds of ``time.perf_counter``)."""

    def __init__(self):
        self.times = []
        self.start()

    def start(self):
        """Start the timer."""
        self.tik = time.perf_counter()

    def stop(self):
        """Stop the timer, record the time since :meth:`start` and return it."""
        self.times.append(time.perf_counter() - self.tik)
        return self.times[-1]

    def avg(self):
        """The mean recorded time."""
        return sum(self.times) / len(self.times)

    def sum(self):
        """The total recorded time."""
        return sum(self.times)

    def cumsum(self):
        """The running totals of the recorded times, as a list."""
        return np.array(self.times).cumsum().tolist()
