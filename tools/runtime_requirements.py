"""Write requirements/runtime.txt: bonafide's runtime dependencies, pinned, with their hashes.

`make demo` installs from that file with `pip --require-hashes`, so the office's machine gets
exactly the files hashed here, and only what running bonafide needs: never the development
extras (pyspark, py4j, pandas, test and lint tools).

The set is the closure of `[project] dependencies` in pyproject.toml over the installed
packages' own requirements (run this in the development virtualenv, where all of them are
installed); each version is the one constraints.txt pins. The files are fetched with `pip
download` for this machine's platform (CPython 3.11 on Linux x86-64, as the office's laptop) and
hashed (SHA-256). Run it after changing a runtime dependency or its pin:

    .venv/bin/python tools/runtime_requirements.py
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import tomllib
from importlib.metadata import distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPOSITORY = Path(__file__).resolve().parents[1]
OUTPUT = REPOSITORY / "requirements" / "runtime.txt"


def _pins() -> dict[str, str]:
    pins = {}
    for line in (REPOSITORY / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[canonicalize_name(name)] = version.strip()
    return pins


def runtime_closure() -> dict[str, str]:
    """Every package that running bonafide needs, with its installed version."""
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    pending = [(Requirement(r), frozenset[str]()) for r in project["project"]["dependencies"]]
    found: dict[str, str] = {}
    while pending:
        requirement, _ = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        installed = distribution(requirement.name)
        found[name] = installed.version
        extras = ["", *sorted(requirement.extras)]
        for text in installed.requires or []:
            needed = Requirement(text)
            if needed.marker is None or any(needed.marker.evaluate({"extra": e}) for e in extras):
                pending.append((needed, frozenset()))
    return found


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    closure, pins = runtime_closure(), _pins()
    unpinned = sorted(set(closure) - set(pins))
    drift = sorted(n for n in closure if n in pins and pins[n] != closure[n])
    if unpinned or drift:
        raise SystemExit(f"constraints.txt lacks {unpinned} or pins other versions of {drift}")
    lines = [
        "# bonafide's runtime dependencies with their hashes: tools/runtime_requirements.py",
        "# writes this file (do not edit it); `make demo` installs it with --require-hashes.",
    ]
    with tempfile.TemporaryDirectory() as scratch:
        for name in sorted(closure):
            folder = Path(scratch) / name
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest",
                 str(folder), f"{name}=={pins[name]}"],
                check=True,
            )  # fmt: skip
            hashes = sorted(f"--hash=sha256:{_sha256(f)}" for f in folder.iterdir())
            lines.append(f"{name}=={pins[name]} " + " ".join(hashes))
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(closure)} runtime packages with their hashes → {OUTPUT.relative_to(REPOSITORY)}")


if __name__ == "__main__":
    main()
