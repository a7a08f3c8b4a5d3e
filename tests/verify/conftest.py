"""The verification tests use the shared resolved store (`resolved_data_dir`, tests/conftest.py)."""

from __future__ import annotations

from tests.conftest import STORE_SETTINGS

SETTINGS = STORE_SETTINGS
