"""Whether decrypted pages could land on disk unencrypted: the machine's swap.

An unlocked vault holds decrypted records in memory; the kernel may write memory to swap. Swap on
a dm-crypt device (`/sys/block/dm-N/dm/uuid` starts with `CRYPT-`) is encrypted; any other swap
is reported, so the operator can turn it off (`swapoff -a`) or encrypt it.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["unencrypted_swap"]


def _encrypted(device: str) -> bool:
    real = os.path.realpath(device)
    name = os.path.basename(real)
    if not name.startswith("dm-"):
        return False
    try:
        uuid = Path(f"/sys/block/{name}/dm/uuid").read_text(encoding="ascii")
    except OSError:
        return False
    return uuid.startswith("CRYPT-")


def unencrypted_swap(swaps: Path = Path("/proc/swaps")) -> list[str]:
    """The swap devices and files in use that are not known to be encrypted."""
    try:
        lines = swaps.read_text(encoding="ascii").splitlines()[1:]
    except OSError:
        return []
    devices = [line.split()[0] for line in lines if line.strip()]
    return [device for device in devices if not _encrypted(device)]
