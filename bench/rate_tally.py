"""Counting shared by the closed-loop HTTPS clients (attack_client.py, load_client.py): answers
per second of the run, their latencies and statuses, and failures with the first few kept; then
the figures both report. Thread-safe: every client thread adds to one tally."""
import collections
import statistics
import threading
import time


class RateTally:
    def __init__(self, seconds):
        self.seconds = seconds
        self.lock = threading.Lock()
        self.per_second = [0] * (int(seconds) + 1)
        self.statuses = collections.Counter()
        self.latencies = []
        self.failures = 0
        self.first_failures = []

    def run(self, loops):
        """Runs each of loops, a callable taking (t0, tally), on a thread of its own, all from
        t0 = now; returns the seconds elapsed once every one has ended."""
        t0 = time.monotonic()
        threads = [threading.Thread(target=loop, args=(t0, self)) for loop in loops]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.monotonic() - t0

    def answered(self, start, end, t0, status=None):
        """One answer, asked at start and received at end (time.monotonic(); the run began at
        t0), counted in the second it arrived; status, when given, is counted too."""
        with self.lock:
            if status is not None:
                self.statuses[status] += 1
            self.per_second[min(int(end - t0), len(self.per_second) - 1)] += 1
            self.latencies.append(end - start)

    def failed(self, what):
        """One failure; the first five are kept as said."""
        with self.lock:
            self.failures += 1
            if len(self.first_failures) < 5:
                self.first_failures.append(what)

    def full_seconds(self):
        """Answers in each whole second of the run (the last, partial one left out)."""
        return self.per_second[:int(self.seconds)]

    def figures(self, elapsed):
        """Answers per second over elapsed, the lowest and median of the whole seconds, and the
        latency p50/p99 in ms (None without answers)."""
        full = self.full_seconds()
        lat = sorted(self.latencies)
        return {
            "rps": round(len(lat) / elapsed, 1),
            "rps_lowest_second": min(full) if full else 0,
            "rps_median_second": statistics.median(full) if full else 0,
            "p50_ms": round(1000 * lat[len(lat) // 2], 1) if lat else None,
            "p99_ms": round(1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))], 1) if lat else None,
        }
