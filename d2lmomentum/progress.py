"""tqdm progress bars that cost nothing when disabled (library calls are quiet by default)."""


class ProgressBar:
    """``update(k)`` and ``close()`` on a tqdm bar to stderr, or no-ops when not ``enabled``."""

    def __init__(self, total, enabled, desc, unit="it"):
        self.bar = None
        if enabled:
            from tqdm.auto import tqdm
            self.bar = tqdm(total=total, desc=desc, unit=unit, leave=False)

    def update(self, k=1):
        if self.bar is not None:
            self.bar.update(k)

    def close(self):
        if self.bar is not None:
            self.bar.close()
