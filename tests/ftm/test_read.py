"""Reading FtM files: bad lines, missing entities, the nested form, watchlist topics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bonafide.cli import app
from bonafide.datadir import DATA_DIR_ENV
from bonafide.errors import InputError
from bonafide.ftm.load import FtmImport, import_ftm
from bonafide.registry import Kind, RegistryStore
from bonafide.vault.access import PASSPHRASE_ENV
from tests.registry.helpers import TEST_SETTINGS, record_count, rejects
from tests.vaults import TEST_PASSPHRASE, vault_for


def person(entity_id: str, **props: Any) -> dict[str, Any]:
    values = {"firstName": ["Анна"], "lastName": ["Иванова"], "birthDate": ["1990-04-01"]}
    values.update(props)
    return {"id": entity_id, "schema": "Person", "properties": values}


def write(path: Path, *lines: object) -> Path:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def run(data_dir: Path, file: Path, kind: Kind | None = None) -> FtmImport:
    vault = vault_for(data_dir)
    try:
        with RegistryStore.open(vault, TEST_SETTINGS) as store:
            return import_ftm(store, file, kind)
    finally:
        vault.close()


def count(data_dir: Path, kind: str) -> int:
    with RegistryStore.open(vault_for(data_dir), TEST_SETTINGS, read_only=True) as store:
        return record_count(store, kind)


ORG = {"id": "org", "schema": "Organization", "properties": {"name": ["ОАО «Завод»"]}}
BAD_FILE = (
    person("p1"),  # line 1: fine
    '{"id": "x", "schema": ',  # 2: not JSON
    {"id": "q", "schema": "Persn", "properties": {}},  # 3: no such schema
    {
        "id": "e1",
        "schema": "Employment",
        "properties": {"employee": ["nobody"], "employer": ["org"]},
    },  # 4: a missing employee
    {"id": "p2", "schema": "Person", "properties": {"birthDate": ["1980"]}},  # 5: no name
    ORG,  # 6
    person("p3"),  # 7: employee of line 8
    {
        "id": "e2",
        "schema": "Employment",
        "properties": {"employee": ["p3"], "employer": ["org"], "role": ["токарь"]},
    },  # 8: fine
    {
        "id": "e3",
        "schema": "Employment",
        "properties": {"employee": ["org"], "employer": ["org"]},
    },  # 9: an Organization as employee
    "[1, 2]",  # 10: not an object
)


def test_bad_lines_are_reported_with_their_line_and_counted(tmp_path: Path) -> None:
    file = write(tmp_path / "bad.jsonl", *BAD_FILE)
    result = run(tmp_path / "data", file)
    reports = {r.kind.value: r for r in result.reports}
    assert list(reports) == ["identity", "employment"]
    identity, employment = reports["identity"], reports["employment"]
    assert (identity.rows_read, identity.rows_added, identity.rows_rejected) == (5, 1, 4)
    assert (employment.rows_read, employment.rows_added, employment.rows_rejected) == (3, 1, 2)
    assert result.rejected == 6
    found = {(int(r["row"]), r["reason"]) for r in rejects(identity) if r["severity"] == "reject"}
    reasons = dict(found)
    assert set(reasons) == {2, 3, 5, 10}
    assert reasons[2].startswith("the line is not JSON")
    assert "'Persn' is not a FollowTheMoney schema" in reasons[3]
    assert reasons[5].startswith("full_name is empty; each row needs surname, given_name")
    assert "not an entity object" in reasons[10]
    by_row = {int(r["row"]): r["reason"] for r in rejects(employment)}
    assert by_row == {
        4: "the Employment's employee refers to an entity that is not in the file",
        9: "the Employment's employee is a Organization, not a Person",
    }
    for report in result.reports:
        for issue in report.first_issues:
            assert "Иванова" not in issue.reason
            assert "Завод" not in issue.reason


def test_the_cli_exits_non_zero_when_rows_are_rejected(tmp_path: Path) -> None:
    file = write(tmp_path / "bad.jsonl", *BAD_FILE)
    data_dir = tmp_path / "data"
    vault_for(data_dir).close()
    runner = CliRunner(env={"COLUMNS": "200", DATA_DIR_ENV: "", PASSPHRASE_ENV: TEST_PASSPHRASE})
    args = ["registry", "import", str(file), "--format", "ftm", "--data-dir", str(data_dir)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "6 row(s) of bad.jsonl rejected" in result.stderr
    assert "Иванова" not in result.output
    wrong = runner.invoke(app, [*args, "--mapping", str(file)])
    assert isinstance(wrong.exception, InputError)
    assert "do not apply to --format ftm" in str(wrong.exception)


def test_the_nested_form(tmp_path: Path) -> None:
    nested = person(
        "p1",
        employers=[
            {
                "id": "e1",
                "schema": "Employment",
                "properties": {"employer": [ORG], "startDate": ["2001-02"], "role": ["токарь"]},
            }
        ],
        membershipMember=[
            {
                "schema": "Membership",
                "properties": {
                    "organization": [
                        {"id": "u", "schema": "Organization", "properties": {"name": ["БГУ"]}}
                    ],
                    "startDate": ["2004"],
                    "endDate": ["2009-06-30"],
                },
            }
        ],
    )
    link = {
        "id": "r1",
        "schema": "UnknownLink",
        "properties": {
            "subject": [person("p2")],
            "object": [
                {
                    "id": "a1",
                    "schema": "Address",
                    "properties": {"city": ["Минск"], "street": ["улица Мира 5 к2"]},
                }
            ],
            "startDate": ["2010"],
        },
    }
    file = write(tmp_path / "nested.jsonl", nested, link)
    result = run(tmp_path / "data", file)
    added = {r.kind.value: r.rows_added for r in result.reports}
    assert added == {"residence": 1, "education": 1, "employment": 1}
    assert result.rejected == 0
    with RegistryStore.open(vault_for(tmp_path / "data"), TEST_SETTINGS) as store:
        assert store.execute("t", "SELECT street, house FROM registry_residence") == [
            ("улица мира", "5 к2")
        ]
        assert store.execute("t", "SELECT start_year, graduation_year FROM registry_education") == [
            (2004, 2009)
        ]


def test_watchlist_persons_by_topic_or_by_kind(tmp_path: Path) -> None:
    file = write(
        tmp_path / "list.jsonl",
        person("p1", topics=["sanction"], position=["судья"]),
        person("p2", topics=["role.journo"]),
        person("p3"),
    )
    result = run(tmp_path / "a", file)
    assert {r.kind.value: r.rows_added for r in result.reports} == {
        "identity": 2,
        "watchlist": 1,
    }
    alone = run(tmp_path / "b", file, Kind.WATCHLIST)
    assert [(r.kind.value, r.rows_added) for r in alone.reports] == [("watchlist", 3)]
    assert count(tmp_path / "b", "identity") == 0


def test_merged_views_are_not_records(tmp_path: Path) -> None:
    merged = {**person("m"), "referents": ["p1", "p2"]}
    external = {**person("n"), "referents": ["elsewhere"]}
    file = write(tmp_path / "m.jsonl", person("p1"), person("p2"), merged, external)
    result = run(tmp_path / "data", file)
    assert [(r.kind.value, r.rows_added) for r in result.reports] == [("identity", 3)]


def test_a_file_of_nothing_to_import(tmp_path: Path) -> None:
    file = write(tmp_path / "orgs.jsonl", ORG)
    with pytest.raises(InputError, match="no record of any registry kind"):
        run(tmp_path / "data", file)
