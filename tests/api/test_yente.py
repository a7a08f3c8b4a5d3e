"""yente's matching API over bonafide: request and answer shapes, parameters, errors, roles; and
nomenklatura's `YenteEnricher` (yente's own client, from PyPI) driving the live service."""

from __future__ import annotations

import csv
import math
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from bonafide.accounts import Role
from bonafide.ftm import EntityIds
from tests.conftest import Population

from .conftest import Desk

PERSON_KEYS = {"id", "caption", "schema", "properties", "datasets", "referents", "target"}
SCORED_KEYS = PERSON_KEYS | {"score", "match", "features", "explanations"}


def _dossier(population: Population, kind: str) -> dict[str, Any]:
    with (population.truth / "applicants.csv").open(encoding="utf-8") as f:
        kinds = {row["dossier_id"]: row["kind"] for row in csv.DictReader(f)}
    return next(d for d in population.dossiers() if kinds[d["dossier_id"]] == kind)


def _example(identity: dict[str, Any]) -> dict[str, Any]:
    """A yente query example of a dossier's identity, in FtM properties."""
    properties = {
        "firstName": [identity["given_name"]],
        "lastName": [identity["surname"]],
        "fatherName": [identity.get("patronymic")],
        "birthDate": [identity["birth_date"]],
        "gender": [{"m": "male", "f": "female"}.get(identity.get("sex") or "", "")],
        "nationality": ["by"],  # not compared: accepted and ignored
    }
    return {
        "schema": "Person",
        "properties": {k: [v for v in vs if v] for k, vs in properties.items()},
    }


@pytest.fixture(scope="module")
def genuine(population: Population) -> dict[str, Any]:
    identity: dict[str, Any] = _dossier(population, "genuine")["identity"]
    return identity


def _match(desk: Desk, body: dict[str, Any], dataset: str = "persons", **params: Any) -> Any:
    answer = desk.client.post(
        f"/match/{dataset}", json=body, params=params, headers=desk.auth(Role.VETTING)
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_query_finds_its_person_first_as_a_match(
    shared_desk: Desk, genuine: dict[str, Any]
) -> None:
    answer = _match(shared_desk, {"queries": {"q1": _example(genuine)}})
    assert set(answer) == {"responses", "limit"}
    assert answer["limit"] == 5
    response = answer["responses"]["q1"]
    assert response["status"] == 200
    assert response["query"]["schema"] == "Person"
    assert response["query"]["properties"]["lastName"] == [genuine["surname"]]
    assert response["total"]["relation"] == "eq"
    assert response["total"]["value"] >= 1
    top = response["results"][0]
    assert set(top) >= SCORED_KEYS
    assert top["schema"] == "Person"
    assert top["match"] is True
    assert 0.7 < top["score"] <= 1.0
    assert top["id"].startswith("bf-person-")
    assert top["referents"] == []  # the records the person is resolved from: /entities/{id}
    assert top["datasets"] == ["bonafide_persons"]
    assert {"surname", "given", "birth_date"} <= set(top["features"])
    assert top["features"]["birth_date"] > 0
    assert top["explanations"]["surname"]["score"] == top["features"]["surname"]
    assert isinstance(top["explanations"]["surname"]["detail"], str)
    # the same person /persons/match names, by the id bonafide's FtM export gives them
    record = {k: genuine[k] for k in ("surname", "given_name", "birth_date")}
    best = shared_desk.client.post(
        "/persons/match", json=record, headers=shared_desk.auth(Role.VETTING)
    ).json()[0]
    server = shared_desk.client.app.state.server  # type: ignore[attr-defined]
    ids = EntityIds.for_vault(server.opened().vault)
    assert top["id"] == ids.person(best["person_id"])


def test_another_persons_name_does_not_match(
    shared_desk: Desk, genuine: dict[str, Any], population: Population
) -> None:
    other = next(
        d["identity"]
        for d in population.dossiers()
        if d["identity"]["surname"] != genuine["surname"]
        and d["identity"]["birth_date"] != genuine["birth_date"]
    )
    query = _example(genuine)
    query["properties"].update(firstName=[other["given_name"]], lastName=[other["surname"]])
    answer = _match(shared_desk, {"queries": {"q": query, "own": _example(genuine)}})
    own = answer["responses"]["own"]["results"][0]["id"]
    found = answer["responses"]["q"]["results"]
    assert all(r["id"] != own or not r["match"] for r in found)


def test_threshold_decides_match_and_cutoff_what_is_shown(
    shared_desk: Desk, genuine: dict[str, Any]
) -> None:
    body = {"queries": {"q": _example(genuine)}}
    top = _match(shared_desk, body)["responses"]["q"]["results"][0]
    above = math.nextafter(top["score"], 2.0)
    answer = _match(shared_desk, body, threshold=above, cutoff=0.0)["responses"]["q"]
    assert answer["results"][0]["id"] == top["id"]
    assert answer["results"][0]["match"] is False
    assert answer["total"]["value"] == 0
    exact = _match(shared_desk, body, threshold=top["score"])["responses"]["q"]["results"][0]
    assert exact["match"] is True
    # below the cutoff a candidate is not shown at all
    assert not _match(shared_desk, body, cutoff=1.5, threshold=2.0)["responses"]["q"]["results"]


def test_yente_parameters_are_accepted(shared_desk: Desk, genuine: dict[str, Any]) -> None:
    body = {"queries": {"q": _example(genuine)}, "weights": {"name_literal": 0.8}, "config": {}}
    params: dict[str, Any] = {
        "fuzzy": "false",
        "algorithm": "best",
        "limit": 1,
        "changed_since": "2024-01-01",
        "include_dataset": "persons",
    }
    answer = _match(shared_desk, body, **params)
    assert answer["limit"] == 1
    assert len(answer["responses"]["q"]["results"]) == 1
    top = answer["responses"]["q"]["results"][0]["id"]
    for algorithm in ("logic-v2", "bonafide-fellegi-sunter"):
        again = _match(shared_desk, body, algorithm=algorithm, fuzzy="true")
        assert again["responses"]["q"]["results"][0]["id"] == top
    assert _match(shared_desk, body, exclude_entity_ids=top)["responses"]["q"]["results"][:1] != [
        top
    ]
    for excluding in ({"exclude_schema": "Person"}, {"include_dataset": "other"}):
        assert not _match(shared_desk, body, **excluding)["responses"]["q"]["results"]
    assert not _match(shared_desk, body, topics="gov.security")["responses"]["q"]["results"]
    # a full name, and a schema that is no person's, in one batch
    named = {
        "schema": "Person",
        "properties": {"name": f"{genuine['surname']} {genuine['given_name']}"},
    }
    company = {"schema": "Company", "properties": {"name": ["Belneftekhim"]}}
    both = _match(shared_desk, {"queries": {"n": named, "c": company}}, cutoff=0.0)
    assert both["responses"]["n"]["results"]
    assert both["responses"]["c"]["results"] == []
    assert both["responses"]["c"]["total"]["value"] == 0


def test_the_watchlist_dataset(shared_desk: Desk, population: Population) -> None:
    identity = _dossier(population, "watchlisted")["identity"]
    answer = _match(shared_desk, {"queries": {"w": _example(identity)}}, "watchlist", cutoff=0.5)
    results = answer["responses"]["w"]["results"]
    assert results, "a watchlisted applicant's identity is on the watchlist"
    top = results[0]
    assert set(top) >= SCORED_KEYS
    assert top["target"] is True
    assert top["datasets"] == ["bonafide_watchlist"]
    assert top["id"].startswith("bf-watchlist-")
    assert top["properties"]["topics"] == ["gov.security"]
    assert set(top["features"]) == {"name", "birth_date"}
    fetched = shared_desk.client.get(
        f"/entities/{top['id']}", headers=shared_desk.auth(Role.VETTING)
    )
    assert fetched.status_code == 200, fetched.text
    assert fetched.json()["id"] == top["id"]
    assert fetched.json()["target"] is True


def test_errors(shared_desk: Desk, genuine: dict[str, Any]) -> None:
    post = shared_desk.client.post
    auth = shared_desk.auth(Role.VETTING)
    body = {"queries": {"q": _example(genuine)}}
    unknown = post("/match/default", json=body, headers=auth)
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["detail"]  # where yente's own error body has its message
    nameless = {"queries": {"q": {"schema": "Person", "properties": {"birthDate": ["1980-01-01"]}}}}
    assert post("/match/persons", json=nameless, headers=auth).status_code == 422
    too_many = {"queries": {f"q{i}": _example(genuine) for i in range(101)}}
    problem = post("/match/persons", json=too_many, headers=auth)
    assert problem.status_code == 422
    assert "too many" in problem.json()["detail"]
    assert post("/match/persons", json={"queries": {}}, headers=auth).status_code == 422
    assert post("/match/persons?limit=51", json=body, headers=auth).status_code == 422
    assert post("/match/persons?algorithm=magic", json=body, headers=auth).status_code == 422
    bad_schema = {"queries": {"q": {"schema": "Nobody", "properties": {"name": ["x"]}}}}
    answer = post("/match/persons", json=bad_schema, headers=auth)
    assert answer.status_code == 422
    # nothing that was sent comes back in an error
    assert genuine["surname"] not in post("/match/persons", json=too_many, headers=auth).text


def test_algorithms(shared_desk: Desk) -> None:
    answer = shared_desk.client.get("/algorithms", headers=shared_desk.auth(Role.ANALYST))
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["default"] == data["best"] == "bonafide-fellegi-sunter"
    names = [a["name"] for a in data["algorithms"]]
    assert names == ["bonafide-fellegi-sunter", "bonafide-watchlist"]
    model = data["algorithms"][0]
    assert "probability" in model["description"]
    assert {"given", "surname", "birth_date", "personal_number"} <= set(model["features"])
    for feature in model["features"].values():
        assert set(feature) == {"description", "coefficient", "url"}
        assert feature["coefficient"] > 0  # the same value is evidence for
    assert model["docs"]["features"] == model["features"]
    assert model["docs"]["config"] == {}


def test_entities_plain_and_nested(shared_desk: Desk, genuine: dict[str, Any]) -> None:
    auth = shared_desk.auth(Role.VETTING)
    top = _match(shared_desk, {"queries": {"q": _example(genuine)}})["responses"]["q"]["results"][0]
    plain = shared_desk.client.get(f"/entities/{top['id']}?nested=false", headers=auth)
    assert plain.status_code == 200, plain.text
    entity = plain.json()
    assert set(entity) >= PERSON_KEYS
    assert "score" not in entity
    assert entity["id"] == top["id"]
    # the match held in memory, normalised; the entity read from the registries as written
    for prop in ("lastName", "firstName", "birthDate"):
        assert [v.lower() for v in entity["properties"][prop]] == [
            v.lower() for v in top["properties"][prop]
        ]
    assert entity["referents"]
    nested = shared_desk.client.get(f"/entities/{top['id']}", headers=auth).json()
    links = {
        prop: values
        for prop, values in nested["properties"].items()
        if values and isinstance(values[0], dict)
    }
    assert links, "a resolved person's records nest their links"
    assert set(links) <= {"unknownLinkTo", "employers", "membershipMember", "identification"}
    for prop, values in links.items():
        for link in values:
            assert {"id", "schema", "properties", "caption"} <= set(link)
            back = {"unknownLinkTo": "subject", "employers": "employee"}.get(prop)
            assert back is None or back not in link["properties"]  # the pointer back is the person
    if "unknownLinkTo" in links:
        address = links["unknownLinkTo"][0]["properties"]["object"][0]
        assert address["schema"] == "Address"
    missing = shared_desk.client.get("/entities/bf-person-" + "0" * 32, headers=auth)
    assert missing.status_code == 404
    assert missing.json()["detail"]
    assert shared_desk.client.get("/entities/nothing", headers=auth).status_code == 404


def test_api_key_scheme_and_roles(shared_desk: Desk, genuine: dict[str, Any]) -> None:
    body = {"queries": {"q": _example(genuine)}}
    token = shared_desk.tokens[Role.ANALYST]
    answer = shared_desk.client.post(
        "/match/persons", json=body, headers={"Authorization": f"ApiKey {token}"}
    )
    assert answer.status_code == 200, answer.text
    for role in (Role.INTAKE, Role.CHECKPOINT, Role.ADMIN, Role.AUDITOR, Role.REVIEWER):
        headers = {"Authorization": f"ApiKey {shared_desk.tokens[role]}"}
        assert (
            shared_desk.client.post("/match/persons", json=body, headers=headers).status_code == 403
        )
        assert shared_desk.client.get("/algorithms", headers=headers).status_code == 403
        assert shared_desk.client.get("/entities/x", headers=headers).status_code == 403
    assert shared_desk.client.post("/match/persons", json=body).status_code == 401


def test_screening_is_audited_with_counts_only(shared_desk: Desk, genuine: dict[str, Any]) -> None:
    _match(shared_desk, {"queries": {"q": _example(genuine)}})
    log = shared_desk.client.get("/audit", headers=shared_desk.auth(Role.AUDITOR))
    assert log.status_code == 200, log.text
    text = log.text
    assert "names screened" in text
    for value in (genuine["surname"], genuine["given_name"], genuine["birth_date"]):
        assert value not in text


# --- nomenklatura's YenteEnricher, yente's own client, against the live service ----------------


@pytest.fixture(scope="module")
def live_url(shared_desk: Desk) -> Iterator[str]:
    """The shared service on a free localhost port, in a thread, for as long as the module."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = shared_desk.client.app
    # no lifespan: the module's own client runs it, and its shutdown locks the vault
    config = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


def test_nomenklaturas_yente_enricher_screens_against_bonafide(
    shared_desk: Desk, genuine: dict[str, Any], live_url: str
) -> None:
    followthemoney = pytest.importorskip("followthemoney")
    from nomenklatura.cache import Cache
    from nomenklatura.db import make_session
    from nomenklatura.enrich import make_enricher

    dataset = followthemoney.Dataset.make({"name": "bonafide_test", "title": "bonafide"})
    session = make_session("sqlite:///:memory:")
    cache = Cache(session, dataset, create=True)

    def config(role: Role) -> dict[str, Any]:  # the enricher consumes its config
        return {
            "type": "nomenklatura.enrich.yente:YenteEnricher",
            "api": live_url,
            "dataset": "persons",
            "api_key": shared_desk.tokens[role],
            "cache_days": 0,
            "fuzzy": True,
        }

    enricher = make_enricher(dataset, cache, config(Role.VETTING))
    try:
        # the enricher sends only FtM's matchable properties: `name`, not its parts
        example = _example(genuine)
        parts = (genuine["given_name"], genuine.get("patronymic"), genuine["surname"])
        example["properties"]["name"] = [" ".join(p for p in parts if p)]
        query = followthemoney.StatementEntity.from_data(dataset, {"id": "q1", **example})
        matches = list(enricher.match_wrapped(query))
        assert matches, "YenteEnricher found the applicant's person"
        top = matches[0]
        assert top.schema.name == "Person"
        assert top.id.startswith("bf-person-")
        assert top.get("name")
        assert top.get("sourceUrl") == [f"{live_url}entities/{top.id}"]
        expanded = list(enricher.expand_wrapped(query, top))
        assert expanded[0].id == top.id
        schemata = {e.schema.name for e in expanded}
        assert schemata & {"UnknownLink", "Employment", "Membership", "Passport"}
        # a token without the screening role: the enricher aborts, as on yente's 403
        from nomenklatura.enrich.common import EnrichmentAbort

        denied = make_enricher(dataset, cache, config(Role.INTAKE))
        with pytest.raises(EnrichmentAbort):
            list(denied.match_wrapped(query))
        denied.close()
    finally:
        enricher.close()
        session.close()
