"""OpenRefine's Reconciliation Service API 0.2 at /reconcile, as OpenRefine speaks it.

OpenRefine fetches the manifest with GET, POSTs each batch as a form (`queries=<JSON>`) to the
service URL it was given (here with `?token=`, as it cannot send an Authorization header), and
loads the manifest's preview URL in an iframe. The manifest and the result batches are checked
against the 0.2 rules, restated here as JSON Schemas (reconciliation-api.github.io/specs/0.2).
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from bonafide.accounts import Role
from bonafide.api.reconciliation import MAX_BATCH, MAX_TEXT, preview_html
from tests.conftest import Population

from .conftest import Desk

URL_TEMPLATE = {
    "type": "object",
    "properties": {"url": {"type": "string", "pattern": r"\{\{id\}\}"}},
    "required": ["url"],
}
TYPE = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
    "required": ["id", "name"],
}
SERVICE = {
    "type": "object",
    "properties": {"service_url": {"type": "string"}, "service_path": {"type": "string"}},
}
MANIFEST_0_2 = {
    "type": "object",
    "required": ["versions", "name", "identifierSpace", "schemaSpace"],
    "properties": {
        "versions": {"type": "array", "items": {"type": "string"}, "contains": {"const": "0.2"}},
        "name": {"type": "string", "minLength": 1},
        "identifierSpace": {"type": "string", "pattern": "^[a-z][a-z0-9+.-]*:"},
        "schemaSpace": {"type": "string", "pattern": "^[a-z][a-z0-9+.-]*:"},
        "view": URL_TEMPLATE,
        "defaultTypes": {"type": "array", "items": TYPE, "uniqueItems": True},
        "preview": {
            **URL_TEMPLATE,
            "properties": {
                **URL_TEMPLATE["properties"],
                "width": {"type": "integer"},
                "height": {"type": "integer"},
            },
            "required": ["url", "width", "height"],
        },
        "suggest": {
            "type": "object",
            "properties": {"entity": SERVICE, "property": SERVICE, "type": SERVICE},
        },
    },
}
RESULT_BATCH_0_2 = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "required": ["result"],
        "properties": {
            "result": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "score"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "description": {"type": "string"},
                        "score": {"type": "number"},
                        "match": {"type": "boolean"},
                        "type": {"type": "array", "items": {"oneOf": [TYPE, {"type": "string"}]}},
                        "features": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["id", "value"],
                                "properties": {
                                    "id": {"type": "string"},
                                    "value": {"type": ["number", "boolean"]},
                                },
                            },
                        },
                    },
                },
            }
        },
    },
}


def _token_url(desk: Desk, path: str, role: Role = Role.VETTING) -> str:
    return f"{path}?token={desk.tokens[role]}"


def _name(identity: dict[str, Any]) -> str:
    given = " ".join(p for p in (identity.get("given_name"), identity.get("surname")) if p)
    return given or str(identity.get("full_name"))


def _people(population: Population, count: int) -> list[dict[str, Any]]:
    """Identities of applicants with a name and a birth date to the day."""
    people = []
    for dossier in population.dossiers():
        identity = dossier["identity"]
        born = str(identity.get("birth_date") or "")
        if _name(identity) != "None" and len(born) == 10 and born[4] == "-":
            people.append(identity)
    return people[:count]


def _openrefine_batch(people: list[dict[str, Any]], with_birth: bool) -> dict[str, Any]:
    """A batch as OpenRefine writes it: q0, q1, …; type, type_strict, limit, properties."""
    batch = {}
    for number, identity in enumerate(people):
        query: dict[str, Any] = {
            "query": _name(identity),
            "type": "Person",
            "type_strict": "should",
            "limit": 3,
        }
        if with_birth:
            query["properties"] = [{"pid": "birthDate", "v": identity["birth_date"]}]
        batch[f"q{number}"] = query
    return batch


def _post_form(desk: Desk, batch: Any, role: Role = Role.VETTING) -> Any:
    """POST the batch the way OpenRefine does: a urlencoded form with one field, queries."""
    return desk.client.post(
        _token_url(desk, "/reconcile", role),
        data={"queries": json.dumps(batch)},
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
    )


def test_the_manifest_is_a_0_2_manifest(shared_desk: Desk) -> None:
    answer = shared_desk.client.get("/reconcile", headers=shared_desk.auth(Role.ANALYST))
    assert answer.status_code == 200
    manifest = answer.json()
    jsonschema.validate(manifest, MANIFEST_0_2)
    assert manifest["defaultTypes"] == [{"id": "Person", "name": "Person"}]
    assert manifest["view"]["url"].endswith("/entities/{{id}}")
    assert manifest["preview"]["url"].endswith("/reconcile/preview?id={{id}}")
    # a client sending the header gets URLs without a token in them
    assert "token" not in json.dumps(manifest)


def test_a_manifest_asked_with_the_token_in_the_url_carries_it_to_preview_and_suggest(
    shared_desk: Desk,
) -> None:
    token = shared_desk.tokens[Role.VETTING]
    manifest = shared_desk.client.get(_token_url(shared_desk, "/reconcile")).json()
    jsonschema.validate(manifest, MANIFEST_0_2)
    assert manifest["preview"]["url"].endswith(f"?id={{{{id}}}}&token={token}")
    suggest = manifest["suggest"]["property"]
    assert suggest["service_path"] == f"/suggest/property?token={token}"
    # what OpenRefine's suggest widget asks: service_url + service_path, prefix appended
    url = suggest["service_url"] + suggest["service_path"] + "&prefix=birth"
    found = shared_desk.client.get(url.removeprefix("http://testserver")).json()
    assert [p["id"] for p in found["result"]] == ["birthDate", "birthPlace"]
    assert token not in manifest["view"]["url"]  # /entities takes the header only


def test_an_openrefine_form_batch_is_answered_per_query(
    shared_desk: Desk, population: Population
) -> None:
    people = _people(population, 10)
    answer = _post_form(shared_desk, _openrefine_batch(people, with_birth=True))
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == "*"
    batch = answer.json()
    jsonschema.validate(batch, RESULT_BATCH_0_2)
    assert set(batch) == {f"q{n}" for n in range(len(people))}
    matched = 0
    for key, identity in zip(batch, people, strict=True):
        result = batch[key]["result"]
        assert 1 <= len(result) <= 3
        assert [r["score"] for r in result] == sorted((r["score"] for r in result), reverse=True)
        assert all(r["id"].startswith("bf-person-") for r in result)
        assert all(r["type"] == [{"id": "Person", "name": "Person"}] for r in result)
        assert not any(r["match"] for r in result[1:])  # only the first can be the match
        if result[0]["match"]:
            matched += 1
            assert result[0]["score"] >= 90
            assert result[0]["description"] == f"born {identity['birth_date'][:4]}"
    assert matched >= len(people) * 0.7  # names and birth dates: most are found outright


def test_a_json_body_and_a_get_give_the_same_answers_as_the_form(
    shared_desk: Desk, population: Population
) -> None:
    batch = _openrefine_batch(_people(population, 3), with_birth=True)
    desk = shared_desk
    form = _post_form(desk, batch).json()
    body = desk.client.post("/reconcile", json=batch, headers=desk.auth(Role.ANALYST))
    wrapped = desk.client.post(
        "/reconcile", json={"queries": batch}, headers=desk.auth(Role.ANALYST)
    )
    wrapped_text = desk.client.post(
        "/reconcile", json={"queries": json.dumps(batch)}, headers=desk.auth(Role.ANALYST)
    )
    asked = desk.client.get(
        "/reconcile", params={"queries": json.dumps(batch)}, headers=desk.auth(Role.ANALYST)
    )
    for answer in (body, wrapped, wrapped_text, asked):
        assert answer.status_code == 200, answer.text
        assert answer.json() == form


def test_a_birth_date_changes_the_ranking(shared_desk: Desk, population: Population) -> None:
    people = _people(population, 60)
    names_only = _post_form(shared_desk, _openrefine_batch(people, with_birth=False)).json()
    with_birth = _post_form(shared_desk, _openrefine_batch(people, with_birth=True)).json()
    settled = 0
    for key, identity in zip(names_only, people, strict=True):
        before, after = names_only[key]["result"], with_birth[key]["result"]
        if before and after and not before[0]["match"] and after[0]["match"]:
            # namesakes told apart by the birth date: the one born that year comes first
            assert after[0]["description"] == f"born {identity['birth_date'][:4]}"
            weights = {f["id"]: f["value"] for f in after[0]["features"]}
            assert weights["birth_date"] > 0
            assert after[0]["score"] > before[0]["score"]
            settled += 1
    assert settled >= 3
    matches = [
        sum(r["result"][0]["match"] for r in b.values() if r["result"])
        for b in (names_only, with_birth)
    ]
    assert matches[1] > matches[0]


def test_features_come_from_the_explanation(shared_desk: Desk, population: Population) -> None:
    identity = _people(population, 1)[0]
    batch = {
        "q0": {
            "query": _name(identity),
            "properties": [
                {"pid": "birthDate", "v": identity["birth_date"]},
                {"pid": "idNumber", "v": identity.get("personal_number", "")},
            ],
        }
    }
    top = _post_form(shared_desk, batch).json()["q0"]["result"][0]
    features = {f["id"]: f["value"] for f in top["features"]}
    assert {"given", "surname", "birth_date", "personal_number", "match_weight"} <= set(features)
    assert "prior" not in features
    assert all(isinstance(v, float) for v in features.values())
    assert features["birth_date"] > 0
    parts = sum(v for k, v in features.items() if k != "match_weight")
    assert features["match_weight"] < parts  # the total includes the (negative) prior


def test_property_ids_map_to_the_person_fields(shared_desk: Desk, population: Population) -> None:
    identity = _people(population, 1)[0]
    full = [
        {"pid": "birthDate", "v": identity["birth_date"] + "T00:00:00Z"},  # OpenRefine's dates
        {"pid": "gender", "v": {"m": "male", "f": "female"}.get(identity.get("sex", ""), "")},
        {"pid": "birthPlace", "v": identity.get("birth_place", "")},
        {"pid": "passportNumber", "v": [identity.get("passport_number", "")]},  # a list
    ]
    aliases = [
        {"pid": "birth_date", "v": identity["birth_date"]},  # bonafide's own field names
        {"pid": "sex", "v": identity.get("sex", "")},
        {"pid": "birth_place", "v": identity.get("birth_place", "")},
        {"pid": "passport_number", "v": identity.get("passport_number", "")},
    ]
    parts = [
        {"pid": "lastName", "v": identity.get("surname", "")},
        {"pid": "birthDate", "v": identity["birth_date"]},
    ]
    batch = {
        "full": {"query": _name(identity), "properties": full},
        "aliases": {"query": _name(identity), "properties": aliases},
        # the reconciled column holds the given name; the surname comes as a property
        "parts": {"query": identity.get("given_name", ""), "properties": parts},
    }
    answer = _post_form(shared_desk, batch).json()
    tops = {key: answer[key]["result"][0] for key in batch}
    assert tops["full"]["id"] == tops["aliases"]["id"] == tops["parts"]["id"]
    assert tops["full"]["match"]
    assert tops["full"]["features"] == tops["aliases"]["features"]
    weights = {f["id"]: f["value"] for f in tops["full"]["features"]}
    assert weights["passport_number"] > 0
    assert weights["birth_date"] > 0


def test_queries_that_cannot_be_a_person_get_no_candidates(shared_desk: Desk) -> None:
    batch = {
        "other type": {"query": "Александр Леонович", "type": "Organization"},
        "no name": {"properties": [{"pid": "birthDate", "v": "1984-10-16"}]},
        "bad date": {"query": "Александр Леонович", "properties": [{"pid": "birthDate", "v": "x"}]},
    }
    answer = _post_form(shared_desk, batch)
    assert answer.status_code == 200
    found = answer.json()
    assert found["other type"] == {"result": []}
    assert found["no name"] == {"result": []}
    assert found["bad date"]["result"]  # an unusable value is left out, the name still looks up


def test_the_preview_shows_names_and_birth_year_only(
    shared_desk: Desk, population: Population
) -> None:
    identity = _people(population, 1)[0]
    batch = {
        "q0": {
            "query": _name(identity),
            "properties": [{"pid": "birthDate", "v": identity["birth_date"]}],
        }
    }
    top = _post_form(shared_desk, batch).json()["q0"]["result"][0]
    manifest = shared_desk.client.get(_token_url(shared_desk, "/reconcile")).json()
    url = manifest["preview"]["url"].replace("{{id}}", top["id"])
    answer = shared_desk.client.get(url.removeprefix("http://testserver"))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    page = answer.text
    assert top["name"] in page
    assert f"born {identity['birth_date'][:4]}" in page
    for kept_back in ("birth_date", "personal_number", "passport_number"):
        value = str(identity.get(kept_back) or "never there")
        assert value not in page
        assert value.replace("-", "") not in page


def test_the_preview_escapes_html() -> None:
    page = preview_html(['<script>alert("x")</script>', "O'Brien & <b>"], ["1984"])
    assert "<script>" not in page
    assert "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "O&#x27;Brien &amp; &lt;b&gt;" in page


def test_a_preview_of_an_unknown_id_is_404_without_the_id(shared_desk: Desk) -> None:
    for wrong in ("bf-person-" + "0" * 32, "<script>alert(1)</script>", "1"):
        answer = shared_desk.client.get(
            "/reconcile/preview", params={"id": wrong}, headers=shared_desk.auth(Role.VETTING)
        )
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
        assert wrong not in answer.text


def test_cors_preflight_is_answered_on_reconcile_only(shared_desk: Desk) -> None:
    preflight = {
        "Origin": "http://openrefine.example:3333",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    for path in ("/reconcile", "/reconcile/preview", "/reconcile/properties"):
        answer = shared_desk.client.options(path, headers=preflight)
        assert answer.status_code == 204, path
        assert answer.headers["access-control-allow-origin"] == "*"
        assert "POST" in answer.headers["access-control-allow-methods"]
        assert "authorization" in answer.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in answer.headers
    for path in ("/dossiers", "/persons/match", "/auth/me"):
        answer = shared_desk.client.options(path, headers=preflight)
        assert answer.status_code >= 400, path
        assert "access-control-allow-origin" not in answer.headers
        plain = shared_desk.client.get(
            path, headers={"Origin": preflight["Origin"], **shared_desk.auth(Role.VETTING)}
        )
        assert "access-control-allow-origin" not in plain.headers


def test_without_a_token_401_readable_cross_origin(shared_desk: Desk) -> None:
    origin = {"Origin": "http://openrefine.example:3333"}
    for answer in (
        shared_desk.client.get("/reconcile", headers=origin),
        shared_desk.client.get("/reconcile?token=bft_0000000000000000_" + "x" * 43),
        shared_desk.client.post("/reconcile", data={"queries": "{}"}, headers=origin),
        shared_desk.client.get("/reconcile/preview?id=x", headers=origin),
        shared_desk.client.get("/reconcile/properties", headers=origin),
    ):
        assert answer.status_code == 401
        assert answer.json()["type"] == "/problems/not-signed-in"
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert answer.headers["access-control-allow-origin"] == "*"
        assert "bft_" not in answer.text


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.ANALYST, Role.VETTING)])
def test_a_role_that_may_not_screen_is_refused(shared_desk: Desk, role: Role) -> None:
    desk = shared_desk
    batch = {"q0": {"query": "Александр Леонович"}}
    for answer in (
        desk.client.get("/reconcile", headers=desk.auth(role)),
        desk.client.post("/reconcile", json=batch, headers=desk.auth(role)),
        _post_form(desk, batch, role),  # the token in the URL is held to the same table
        desk.client.get(_token_url(desk, "/reconcile/preview", role) + "&id=x"),
        desk.client.get("/reconcile/properties", headers=desk.auth(role)),
    ):
        assert answer.status_code == 403, (role, answer.text)
        assert answer.json()["type"] == "/problems/forbidden"


def test_the_token_parameter_is_taken_on_reconcile_only(shared_desk: Desk) -> None:
    token = shared_desk.tokens[Role.VETTING]
    assert shared_desk.client.get(f"/reconcile?token={token}").status_code == 200
    assert shared_desk.client.get(f"/auth/me?token={token}").status_code == 401
    assert shared_desk.client.get(f"/handoff?token={token}").status_code == 401


def test_a_batch_over_the_limit_is_413(shared_desk: Desk) -> None:
    batch = {f"q{n}": {"query": "Александр Леонович"} for n in range(MAX_BATCH + 1)}
    answer = _post_form(shared_desk, batch)
    assert answer.status_code == 413
    assert answer.json()["type"] == "/problems/batch-too-large"
    assert answer.json()["limit"] == MAX_BATCH


def test_invalid_queries_are_422_naming_fields_never_values(shared_desk: Desk) -> None:
    secret = "Секретаў"
    cases: list[tuple[Any, str | None]] = [
        ({"q0": {"query": secret * (MAX_TEXT // len(secret) + 1)}}, "queries.q0.query"),
        (
            {"q0": {"query": secret, "properties": [{"pid": "nickname", "v": secret}]}},
            "queries.q0.properties.0.pid",
        ),
        ({"q0": {"query": secret, "limit": 0}}, "queries.q0.limit"),
        (
            {"q0": {"query": secret, "properties": [{"pid": "idNumber", "v": secret * 100}]}},
            "queries.q0.properties.0.v",
        ),
        ({"q0": secret}, "queries.q0"),
        ([secret], None),
        ({}, None),
    ]
    for batch, field in cases:
        answer = _post_form(shared_desk, batch)
        assert answer.status_code == 422, (field, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert secret not in answer.text
        if field is not None:
            assert [e["field"] for e in answer.json()["errors"]] == [field]
    not_json = shared_desk.client.post(
        _token_url(shared_desk, "/reconcile"), data={"queries": "{" + secret}
    )
    assert not_json.status_code == 422
    assert secret not in not_json.text
    no_field = shared_desk.client.post(_token_url(shared_desk, "/reconcile"), data={"q": "{}"})
    assert no_field.status_code == 422
    text = shared_desk.client.post(
        _token_url(shared_desk, "/reconcile"), content=b"{}", headers={"Content-Type": "text/plain"}
    )
    assert text.status_code == 415


def test_properties_are_listed_for_openrefine(shared_desk: Desk) -> None:
    desk = shared_desk
    listed = desk.client.get(
        "/reconcile/properties", params={"type": "Person"}, headers=desk.auth(Role.ANALYST)
    ).json()
    ids = [p["id"] for p in listed["properties"]]
    assert {"birthDate", "birthPlace", "idNumber", "passportNumber", "gender"} <= set(ids)
    assert all(p["name"] for p in listed["properties"])
    other = desk.client.get(
        "/reconcile/properties", params={"type": "Company"}, headers=desk.auth(Role.ANALYST)
    ).json()
    assert other["properties"] == []


def test_each_batch_is_audited_with_counts_only(shared_desk: Desk, population: Population) -> None:
    people = _people(population, 2)
    _post_form(shared_desk, _openrefine_batch(people, with_birth=True))
    entries = shared_desk.client.get(
        "/audit", params={"limit": 1000}, headers=shared_desk.auth(Role.AUDITOR)
    ).json()
    screened = [e for e in entries if e["action"] == "names screened"]
    assert screened
    last = screened[-1]
    assert last["actor"] == "vetting-1"
    assert last["detail"]["via"] == "reconcile"
    assert last["detail"]["queries"] == 2
    assert set(last["detail"]) == {"via", "queries", "candidates", "matched"}
    assert all(isinstance(v, int) for k, v in last["detail"].items() if k != "via")
