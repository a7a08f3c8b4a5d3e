"""The public API of bonafide.names is declared and stays put."""

from __future__ import annotations

import bonafide.names

PUBLIC = {
    "NameKeyTable",
    "NameMatch",
    "ParsedName",
    "PartComparison",
    "Scheme",
    "compare_names",
    "looks_belarusian",
    "parse_name",
    "reading",
    "score_pairs",
    "skeleton",
    "transliterate",
    "vowel_frame",
}


def test_public_api_is_pinned() -> None:
    assert set(bonafide.names.__all__) == PUBLIC
    for name in PUBLIC:
        assert hasattr(bonafide.names, name)
