"""Which swap is reported as unencrypted, read from a /proc/swaps-like file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bonafide.vault.swap import unencrypted_swap

HEADER = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", []),
        (HEADER, []),
        (HEADER + "\n\n", []),
        (HEADER + "/swapfile                file\t\t2097148\t\t0\t\t-2\n", ["/swapfile"]),
        (
            HEADER
            + "/dev/sda2                               partition\t8388604\t\t1024\t\t-2\n"
            + "/swapfile                               file\t\t2097148\t\t0\t\t-3\n",
            ["/dev/sda2", "/swapfile"],
        ),
    ],
    ids=["empty", "header only", "blank lines", "a swap file", "a partition and a file"],
)  # fmt: skip
def test_unencrypted_swap(tmp_path: Path, content: str, expected: list[str]) -> None:
    swaps = tmp_path / "swaps"
    swaps.write_text(content, encoding="ascii")
    assert unencrypted_swap(swaps) == expected


def test_no_swaps_file_means_no_warning(tmp_path: Path) -> None:
    assert unencrypted_swap(tmp_path / "absent") == []


def test_this_machine_can_be_asked() -> None:
    assert isinstance(unencrypted_swap(), list)
