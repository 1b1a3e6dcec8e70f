"""Start-up time of the test emulators (not a test): start and stop each one a few times.

    .venv/bin/python bench/emulators.py [--repeat 3]

Needs `make bqemulator` (the BigQuery emulator's venv) and the test extras (fake-gcs-server).
Prints seconds from launch to the first healthy answer, per start, and the median.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from emulators import BigQueryEmulator, GCSEmulator  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for kind in (BigQueryEmulator, GCSEmulator):
        reason = kind.missing()
        if reason:
            print(f"{kind.name}: skipped ({reason})")
            continue
        times = []
        for _ in range(args.repeat):
            server = kind().start()
            times.append(server.startup_seconds)
            server.stop()
        print(f"{kind.name}: start-up {', '.join(f'{t:.2f}' for t in times)} s (median {statistics.median(times):.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
