"""The command output README.md shows, made by running the commands: never typed by hand.

Each output block of the README is preceded by a marker line, `<!-- output: NAME -->`; NAME is
one of `STEPS` below, which runs the tour's commands in order in a scratch directory: the
demo's seed at a tenth of the demo's size (so that a test can run all of it in well under a
minute), with the paths the README shows (`demo-data/...`).

    .venv/bin/python tools/readme_output.py           # rewrite README.md's output blocks
    .venv/bin/python tools/readme_output.py --check   # exit 1 if any block is not what runs

`--check` (and tests/test_readme.py) compares after masking what differs from run to run and
is no part of the tour: times, rates, random vault and slot ids, the day of the run.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
README = REPOSITORY / "README.md"
PASSPHRASE = "demo only: not for real data"
PEOPLE, APPLICANTS, SEED = 5_000, 50, 7
WIDTH = 100
KINDS = ("identity", "residence", "education", "employment", "watchlist")
_MARKER = re.compile(r"^<!-- output: ([\w-]+) -->\n```[a-z]*\n(.*?)^```$", re.M | re.S)


@dataclass(frozen=True)
class Cut:
    """Which lines of an output are shown: the first `head` (all if None), then, after `…`,
    those from the first line starting with `from_line` on."""

    head: int | None = None
    from_line: str | None = None

    def apply(self, lines: list[str]) -> list[str]:
        if self.head is None or len(lines) <= self.head:
            return lines
        shown = [*lines[: self.head], "…"]
        if self.from_line is not None:
            starts = [i for i, line in enumerate(lines) if line.startswith(self.from_line)]
            if starts and starts[0] >= self.head:
                shown += lines[starts[0] :]
        return shown


@dataclass(frozen=True)
class Step:
    """One block: the commands it shows (`$ …`) and runs, and the lines of output kept."""

    name: str
    commands: tuple[tuple[str, tuple[str, ...]], ...]  # (as shown, as run)
    cut: Cut = field(default_factory=Cut)
    prepare: Callable[[Path], None] | None = None


def _bonafide(*args: str) -> tuple[str, ...]:
    return (sys.executable, "-m", "bonafide", *args)


def _shown(*args: str) -> str:
    return " ".join(["bonafide", *args])


def _command(*args: str, shown: str | None = None) -> tuple[str, tuple[str, ...]]:
    return (shown or _shown(*args), _bonafide(*args))


def _pick_dossiers(work: Path) -> None:
    """The first genuine and the first planted applicant, as `make demo` picks them."""
    with (work / "demo-data" / "truth" / "applicants.csv").open(encoding="utf-8") as truth:
        kinds = {row["dossier_id"]: row["kind"] for row in csv.DictReader(truth)}
    genuine = next(code for code, kind in kinds.items() if kind == "genuine")
    planted = next(code for code, kind in kinds.items() if kind not in ("genuine", "repeat"))
    with (work / "demo-data" / "applicants.jsonl").open(encoding="utf-8") as lines:
        dossiers = {json.loads(line)["dossier_id"]: line for line in lines}
    (work / "demo-data" / "genuine.json").write_text(dossiers[genuine], encoding="utf-8")
    (work / "demo-data" / "planted.json").write_text(dossiers[planted], encoding="utf-8")
    identity = json.loads(dossiers[genuine])["identity"]
    record = {k: identity[k] for k in ("surname", "given_name", "birth_date", "birth_place")}
    (work / "record.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def _imports() -> tuple[tuple[str, tuple[str, ...]], ...]:
    loop = (
        "for kind in identity residence education employment watchlist; do\n"
        "    bonafide registry import demo-data/registries/$kind.parquet --kind $kind --quiet \\\n"
        "      --mapping demo-data/registries/$kind.mapping.toml --data-dir demo-data/store\n"
        "  done"
    )
    runs = [
        _bonafide(
            "registry", "import", f"demo-data/registries/{kind}.parquet", "--kind", kind,
            "--quiet", "--mapping", f"demo-data/registries/{kind}.mapping.toml",
            "--data-dir", "demo-data/store",
        )
        for kind in KINDS
    ]  # fmt: skip
    return ((loop, runs[0]), *(("", run) for run in runs[1:]))


STORE = ("--data-dir", "demo-data/store")
REPORTS = ("--data-dir", "demo-data/reports")
SHOWN_COHORT = f"--people {PEOPLE} --applicants {APPLICANTS} --seed {SEED}"
STEPS = (
    Step(
        "synth",
        (_command("synth", *SHOWN_COHORT.split(), "--out", "demo-data"),),
    ),
    Step(
        "dossier",
        (
            (
                "head -1 demo-data/applicants.jsonl | python3 -m json.tool --no-ensure-ascii",
                (
                    sys.executable,
                    "-c",
                    "import json,sys; print(json.dumps(json.loads("
                    "open('demo-data/applicants.jsonl', encoding='utf-8').readline()), "
                    "ensure_ascii=False, indent=4))",
                ),
            ),
        ),
        Cut(head=24),
    ),
    Step(
        "vault",
        (
            (
                _shown("vault", "init", *STORE),
                _bonafide("vault", "init", *STORE, "--passphrase-file", "passphrase.txt"),
            ),
            _command("vault", "status", *STORE),
        ),
    ),
    Step("import", _imports()),
    Step("stats", (_command("registry", "stats", "identity", *STORE),), Cut(head=10)),
    Step("resolve", (_command("registry", "resolve", *STORE),)),
    Step(
        "match",
        (
            ("cat record.json", ("cat", "record.json")),
            _command("match", "record.json", *STORE, "--limit", "1"),
        ),
        Cut(head=12),
        prepare=_pick_dossiers,
    ),
    Step("cohort", (_command("verify", "demo-data/applicants.jsonl", *STORE),)),
    Step(
        "genuine",
        (_command("verify", "demo-data/genuine.json", *STORE),),
        Cut(head=14, from_line="Questions for the checkpoint"),
    ),
    Step(
        "planted",
        (_command("verify", "demo-data/planted.json", *STORE),),
        Cut(head=16, from_line="Findings"),
    ),
    Step(
        "reports",
        (
            (
                _shown("vault", "init", *REPORTS),
                _bonafide("vault", "init", *REPORTS, "--passphrase-file", "passphrase.txt"),
            ),
            _command(
                "reports",
                "synth",
                "--reports",
                "2000",
                "--seed",
                str(SEED),
                "--out",
                "demo-data/reports-stream",
            ),
            _command("reports", "ingest", "demo-data/reports-stream/reports.jsonl", *REPORTS),
        ),
    ),
    Step(
        "names",
        (
            _command(
                "names",
                "explain",
                "Ціханоўская Святлана Георгіеўна",
                "Tikhanovskaya Svetlana",
                shown='bonafide names explain "Ціханоўская Святлана Георгіеўна" '
                '"Tikhanovskaya Svetlana"',
            ),
        ),
    ),
)

# What differs from one run to the next and says nothing about bonafide: masked for --check
_VOLATILE = (
    (re.compile(r"\b\d[\d,]*(\.\d+)? s\b"), "N s"),
    (re.compile(r"(per second\s*│)\s*[\d,.]+\s*(│)"), r"\1 N \2"),
    (re.compile(r"\b(vault) [0-9a-f]{16}\b"), r"\1 ID"),
    (re.compile(r"(│ )[0-9a-f]{8}( │ (passphrase|key file))"), r"\1ID\2"),
    (re.compile(r"(dossier \w+ on )\d{4}-\d{2}-\d{2}"), r"\1DAY"),
    (re.compile(r"\(\d[\d,]*/s\)"), "(N/s)"),
)


def masked(text: str) -> str:
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def _environment() -> dict[str, str]:
    source = str(REPOSITORY / "src")
    return {
        **os.environ,
        "BONAFIDE_PASSPHRASE": PASSPHRASE,
        "BONAFIDE_DATA": "",
        "COLUMNS": str(WIDTH),
        "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")]),
        "PYTHONHASHSEED": "0",
    }


def _run(step: Step, work: Path) -> str:
    """The commands as shown, each followed by what it printed (the last one's output cut)."""
    if step.prepare is not None:
        step.prepare(work)
    lines: list[str] = []
    for number, (text, argv) in enumerate(step.commands, start=1):
        done = subprocess.run(
            argv, cwd=work, env=_environment(), capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"{text or argv}: exit {done.returncode}\n{done.stderr}")
        if text:
            lines.append("$ " + text)
        printed = [line.rstrip() for line in done.stdout.rstrip("\n").splitlines()]
        lines += step.cut.apply(printed) if number == len(step.commands) else printed
    return "\n".join(lines)


def outputs(work: Path) -> dict[str, str]:
    """Every step's block, run in `work`."""
    (work / "passphrase.txt").write_text(PASSPHRASE + "\n", encoding="utf-8")
    return {step.name: _run(step, work) for step in STEPS}


def rewritten(readme: str, blocks: dict[str, str]) -> str:
    """`readme` with each marked block replaced by its output."""
    names = _MARKER.findall(readme)
    missing = sorted(set(blocks) - {name for name, _ in names})
    if missing:
        raise SystemExit(f"README.md has no <!-- output: NAME --> block for {missing}")

    def block(match: re.Match[str]) -> str:
        fence = match.group(0).split("\n", 2)[1]
        return f"<!-- output: {match.group(1)} -->\n{fence}\n{blocks[match.group(1)]}\n```"

    return _MARKER.sub(block, readme)


def differences(readme: str, blocks: dict[str, str]) -> str:
    """What differs between the README's blocks and `blocks`, volatile parts masked."""
    expected = masked(rewritten(readme, blocks)).splitlines()
    return "\n".join(difflib.unified_diff(masked(readme).splitlines(), expected, lineterm=""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of rewriting")
    check = parser.parse_args().check
    readme = README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="readme-") as scratch:
        blocks = outputs(Path(scratch))
    if check:
        diff = differences(readme, blocks)
        if diff:
            print(diff)
            raise SystemExit("README.md shows output the commands no longer print")
        return
    README.write_text(rewritten(readme, blocks), encoding="utf-8")


if __name__ == "__main__":
    main()
