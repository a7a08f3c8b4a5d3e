"""What a long run keeps of the names it met (`names.kept.Kept`)."""

from __future__ import annotations

from bonafide.names.kept import Kept


def test_a_value_is_made_once_and_kept() -> None:
    made: list[str] = []
    kept: Kept[str, str] = Kept(10)

    def make(key: str) -> str:
        made.append(key)
        return key.upper()

    assert kept.get("a", make) == "A"
    assert kept.get("a", make) == "A"
    assert made == ["a"]
    assert len(kept) == 1


def test_when_full_the_half_used_longest_ago_is_forgotten() -> None:
    made: list[int] = []
    kept: Kept[int, int] = Kept(4)

    def make(key: int) -> int:
        made.append(key)
        return key * 10

    for key in (1, 2, 3, 4):
        kept.get(key, make)
    kept.get(1, make)  # used again: now the most recent
    kept.get(5, make)  # full: 2 and 3, used longest ago, go
    assert len(kept) == 3
    made.clear()
    for key in (1, 4, 5):
        assert kept.get(key, make) == key * 10
    assert made == []
    kept.get(2, make)
    assert made == [2]
    kept.clear()
    assert len(kept) == 0
