"""DuckDB never writes to stdout: its progress bar, drawn when a query runs longer than two
seconds, would land in the middle of what a command prints (a CSV, JSON) and in a test's
captured output (issue 17). Every connection bonafide opens has it off.

DuckDB turns the bar on by default in a plain process but not under pytest's captured output,
so the connections are opened in a process of their own, as a command would open them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bonafide.vault import Vault
from tests.vaults import TEST_PASSPHRASE

_OPEN_CONNECTIONS = """
import sys, tempfile
from pathlib import Path
from bonafide.vault import Passphrase, Vault
from bonafide.vault.duck import attach, scratch_connection

vault = Vault.unlock(Path(sys.argv[1]), Passphrase(sys.argv[2]))
tempfile.tempdir = str(vault.scratch_dir)
store = attach(
    vault.data_dir / "store.duckdb", vault.duckdb_key(), vault.scratch_dir,
    read_only=False, memory_limit="256MB", threads=1,
)
scratch = scratch_connection("256MB", threads=1)
for name, connection in (("store", store), ("scratch", scratch)):
    setting = connection.execute("SELECT current_setting('enable_progress_bar')").fetchone()
    print(name, setting[0])
    connection.close()
vault.close()
"""


def test_no_connection_draws_a_progress_bar(vault: Vault, data_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _OPEN_CONNECTIONS, str(data_dir), TEST_PASSPHRASE],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split("\n")[:2] == ["store False", "scratch False"], done.stdout
