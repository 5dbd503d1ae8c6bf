"""Timing shared by the peer scripts: the best of several samples, on a shared, noisy machine."""
import time

REPEATS = 15           # timed samples per configuration; the best is kept
SAMPLE_SECONDS = 0.05  # each sample repeats the call until it lasts at least this long


def best_seconds(fn, repeats=REPEATS, sample_seconds=SAMPLE_SECONDS):
    """Seconds per call of fn: the best of `repeats` samples of enough calls to last `sample_seconds`."""
    fn()
    count = 1
    while True:  # find how many calls make one sample last sample_seconds
        t0 = time.perf_counter()
        for _ in range(count):
            fn()
        if time.perf_counter() - t0 >= sample_seconds:
            break
        count *= 2
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(count):
            fn()
        best = min(best, (time.perf_counter() - t0) / count)
    return best
