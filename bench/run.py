"""`make bench`: every benchmark, printing figures; results go into docs/benchmarks.md by hand.

python bench/run.py                      # all suites at their default sizes
python bench/run.py foundation 1000000   # one suite, chosen sizes
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import foundation

SUITES = {"foundation": foundation.main}


def main(argv: list[str]) -> None:
    names = [a for a in argv if not a.isdigit()] or list(SUITES)
    sizes = [int(a) for a in argv if a.isdigit()]
    for name in names:
        print(f"== {name}")
        if sizes:
            SUITES[name](sizes, Path("bench-data"))
        else:
            SUITES[name]([1_000_000, 10_000_000], Path("bench-data"))


if __name__ == "__main__":
    main(sys.argv[1:])
