"""Spark's files on disk: nothing of a session is left once its process has ended."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyspark")

# two sessions in turn in one process, as a test run or a long-lived server opens them: the
# JVM outlives the first and kept its scratch directory for the second
_TWO_SESSIONS = """
import sys
from bonafide.linkage.spark import local_spark
for _ in range(2):
    with local_spark() as spark:
        pairs = spark.sparkContext.parallelize(range(1000), 4).map(lambda x: (x % 7, x))
        assert len(pairs.reduceByKey(lambda a, b: a + b).collect()) == 7
"""


def test_spark_sessions_leave_nothing_in_the_temporary_directory(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    run = subprocess.run(
        [sys.executable, "-c", _TWO_SESSIONS],
        env={"TMPDIR": str(temporary), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert sorted(p.name for p in temporary.iterdir()) == []
