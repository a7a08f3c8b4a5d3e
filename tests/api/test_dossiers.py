"""A dossier's way through the office, need to know at each step, and the audit of every read."""

from __future__ import annotations

import copy
from typing import Any

from bonafide.accounts import Role

from .conftest import PASSWORD, Desk


def _dossier(desk_population: list[dict[str, Any]]) -> dict[str, Any]:
    dossier = copy.deepcopy(desk_population[0])
    dossier.pop("dossier_id", None)
    return dossier


def test_the_whole_way_intake_vetting_checkpoint(desk: Desk, population: Any) -> None:
    client = desk.client
    intake, vetting = desk.auth(Role.INTAKE), desk.auth(Role.VETTING)
    dossier = _dossier(population.dossiers())
    surname = dossier["identity"]["surname"]

    entered = client.post("/dossiers", json=dossier, headers=intake)
    assert entered.status_code == 201, entered.text
    code = entered.json()["code"]
    assert code.startswith("C-")
    assert entered.json()["state"] == "draft"
    assert client.post(f"/dossiers/{code}/validate", headers=intake).json() == {
        "valid": True,
        "problems": [],
    }
    # before submission, the draft is its intake officer's alone
    assert client.get("/dossiers", headers=vetting).json() == []
    assert client.get(f"/dossiers/{code}", headers=vetting).status_code == 404
    assert client.post(f"/dossiers/{code}/submit", headers=intake).json()["state"] == "submitted"
    # submitted: gone from intake's sight
    assert client.get(f"/dossiers/{code}", headers=intake).status_code == 404
    assert client.get("/dossiers", headers=intake).json() == []

    queue = client.get("/dossiers", headers=vetting).json()
    assert [c["code"] for c in queue] == [code]
    assert surname not in client.get("/dossiers", headers=vetting).text
    assert client.post(f"/dossiers/{code}/take", headers=vetting).json()["state"] == "taken"
    read = client.get(f"/dossiers/{code}", headers=vetting)
    assert read.json()["dossier"]["identity"]["surname"] == surname

    report = client.post(f"/dossiers/{code}/verify", headers=vetting)
    assert report.status_code == 200, report.text
    assert report.json()["dossier_id"] == code
    assert report.json()["verdict"] in ("consistent", "inconsistent", "insufficient evidence")
    assert "explanation" in report.text or "identity" in report.json()
    kept = client.get(f"/dossiers/{code}/report", headers=vetting)
    assert kept.json()["report"]["dossier_id"] == code

    decided = client.post(
        f"/dossiers/{code}/decision",
        json={"decision": "question", "reason": "ask about the years abroad"},
        headers=vetting,
    )
    assert decided.json()["decision"] == "question"

    handoff = client.get("/handoff", headers=desk.auth(Role.CHECKPOINT))
    assert handoff.status_code == 200
    [arrival] = handoff.json()
    assert arrival["code"] == code
    assert arrival["flagged"] is True
    assert set(arrival) == {"code", "decision", "flagged", "documents", "questions"}
    # the checkpoint learns no name, no number, no reason
    for secret in (surname, dossier["identity"].get("passport_number"), "years abroad"):
        if secret:
            assert secret not in handoff.text

    # the administrator sees codes and states, never content
    overview = client.get("/dossiers", headers=desk.auth(Role.ADMIN))
    assert [c["code"] for c in overview.json()] == [code]
    assert surname not in overview.text
    assert client.get(f"/dossiers/{code}", headers=desk.auth(Role.ADMIN)).status_code == 403

    # every read is in the audit log, with the account that read
    audit = client.get("/audit", params={"limit": 1000}, headers=desk.auth(Role.AUDITOR)).json()
    reads = [e for e in audit if e["action"] == "dossier read" and e["dossier"] == code]
    assert {e["actor"] for e in reads} == {"vetting-1"}
    assert any(e["action"] == "dossier decided" for e in audit)
    assert client.get("/audit/verify", headers=desk.auth(Role.AUDITOR)).json()["intact"] is True


def test_an_invalid_draft_is_kept_but_not_submitted(desk: Desk, population: Any) -> None:
    intake = desk.auth(Role.INTAKE)
    dossier = _dossier(population.dossiers())
    dossier["identity"]["birth_date"] = "2999-01-01"
    entered = desk.client.post("/dossiers", json=dossier, headers=intake)
    assert entered.status_code == 201
    code = entered.json()["code"]
    assert entered.json()["problems"]
    refused = desk.client.post(f"/dossiers/{code}/submit", headers=intake)
    assert refused.status_code == 422
    assert any("birth_date" in problem for problem in refused.json()["problems"])


def test_another_intake_officer_cannot_see_a_draft(desk: Desk, population: Any) -> None:
    accounts = desk.client.app.state.server.opened().accounts  # type: ignore[attr-defined]
    accounts.add("intake-2", Role.INTAKE, PASSWORD)
    other = {"Authorization": f"Bearer {accounts.create_token('intake-2')}"}
    code = desk.client.post(
        "/dossiers", json=_dossier(population.dossiers()), headers=desk.auth(Role.INTAKE)
    ).json()["code"]
    assert desk.client.get(f"/dossiers/{code}", headers=other).status_code == 404
    assert desk.client.post(f"/dossiers/{code}/submit", headers=other).status_code == 404
    assert desk.client.get("/dossiers", headers=other).json() == []


def test_a_dossier_taken_by_one_vetting_officer_is_not_anothers(
    desk: Desk, population: Any
) -> None:
    accounts = desk.client.app.state.server.opened().accounts  # type: ignore[attr-defined]
    accounts.add("vetting-2", Role.VETTING, PASSWORD)
    other = {"Authorization": f"Bearer {accounts.create_token('vetting-2')}"}
    intake = desk.auth(Role.INTAKE)
    code = desk.client.post(
        "/dossiers", json=_dossier(population.dossiers()), headers=intake
    ).json()["code"]
    desk.client.post(f"/dossiers/{code}/submit", headers=intake)
    assert (
        desk.client.post(f"/dossiers/{code}/take", headers=desk.auth(Role.VETTING)).status_code
        == 200
    )
    assert desk.client.post(f"/dossiers/{code}/take", headers=other).status_code == 409
    assert desk.client.get(f"/dossiers/{code}", headers=other).status_code == 404
    assert desk.client.post(f"/dossiers/{code}/verify", headers=other).status_code == 404


def test_dossiers_sent_whole_are_verified_in_a_batch(desk: Desk, population: Any) -> None:
    dossiers = population.dossiers()[:5]
    broken = {"dossier_id": "X1", "identity": {}}
    answer = desk.client.post(
        "/verifications", json={"dossiers": [*dossiers, broken]}, headers=desk.auth(Role.VETTING)
    )
    assert answer.status_code == 200, answer.text
    results = answer.json()
    assert [r.get("dossier_id") for r in results[:5]] == [d["dossier_id"] for d in dossiers]
    assert "problem" in results[5]
    assert (
        desk.client.post(
            "/verifications", json={"dossiers": dossiers}, headers=desk.auth(Role.INTAKE)
        ).status_code
        == 403
    )


def test_persons_match_is_explained(desk: Desk, population: Any) -> None:
    identity = population.dossiers()[0]["identity"]
    record = {
        "surname": identity["surname"],
        "given_name": identity["given_name"],
        "birth_date": identity["birth_date"],
    }
    answer = desk.client.post("/persons/match", json=record, headers=desk.auth(Role.ANALYST))
    assert answer.status_code == 200, answer.text
    assert answer.json()
    assert "explanation" in answer.json()[0]
    assert (
        desk.client.post(
            "/persons/match", json=record, headers=desk.auth(Role.CHECKPOINT)
        ).status_code
        == 403
    )
