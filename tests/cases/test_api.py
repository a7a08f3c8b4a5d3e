"""The public API of bonafide.cases is declared and stays put."""

from __future__ import annotations

import bonafide.cases

PUBLIC = {"CASES_FILE", "CaseStore", "KeptDossier"}


def test_public_api_is_pinned() -> None:
    assert set(bonafide.cases.__all__) == PUBLIC
    for name in PUBLIC:
        assert hasattr(bonafide.cases, name)
