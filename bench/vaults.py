"""The benchmarks' vaults: one passphrase for every benchmark data directory, given to the
commands as BONAFIDE_PASSPHRASE (benchmarks only; an office types its passphrase at a prompt).
Vaults are made with the default Argon2id cost, so each command pays what an office's does."""

from __future__ import annotations

import os
from pathlib import Path

from bonafide.vault import Passphrase, Vault
from bonafide.vault.access import PASSPHRASE_ENV

BENCH_PASSPHRASE = "benchmark passphrase, synthetic data only"
os.environ[PASSPHRASE_ENV] = BENCH_PASSPHRASE  # for the commands the benchmarks run


def bench_vault(data_dir: Path) -> Vault:
    """The data directory's vault, created if there is none."""
    if Vault.exists(data_dir):
        return Vault.unlock(data_dir, Passphrase(BENCH_PASSPHRASE))
    return Vault.create(data_dir, Passphrase(BENCH_PASSPHRASE))
