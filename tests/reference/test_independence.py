"""Verification reads reference data, never the synthetic generator's vocabulary: a verifier
that spells places by the generator's own tables makes every synthetic figure flatter."""

from __future__ import annotations

import ast
from pathlib import Path

import bonafide

SRC = Path(bonafide.__file__).parent


def _references_to_synth(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bonafide.synth"):
            found.append(f"{path.name}:{node.lineno} imports {node.module}")
        elif isinstance(node, ast.Import):
            found += [
                f"{path.name}:{node.lineno} imports {a.name}"
                for a in node.names
                if a.name.startswith("bonafide.synth")
            ]
        elif isinstance(node, ast.Call) and any(
            isinstance(arg, ast.Constant) and str(arg.value).startswith("bonafide.synth")
            for arg in node.args
        ):
            found.append(f"{path.name}:{node.lineno} reads a bonafide.synth resource")
    return found


def test_verification_and_reference_data_never_read_the_generator() -> None:
    files = [*(SRC / "verify").glob("*.py"), *(SRC / "reference").glob("*.py")]
    assert len(files) > 10
    found = [f for path in files for f in _references_to_synth(path)]
    assert found == []


def test_the_generator_never_reads_verification_or_its_reference_data() -> None:
    for path in (SRC / "synth").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert not module.startswith(("bonafide.verify", "bonafide.reference")), (
                    f"{path.name}:{node.lineno} imports {module}"
                )
