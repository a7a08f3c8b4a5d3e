"""yente's matching API over bonafide: FtM example entities read as person records, bonafide's
candidates told back as yente's scored entities.

A query is an FtM entity example (`{"schema": "Person", "properties": {"name": [...], ...}}`).
Its properties become the fields of a bonafide person record (`PROPERTY_FIELDS`); each name it
gives (`name`, each `alias`, and `firstName` / `lastName` / `fatherName` together) is looked up
as its own record and a person keeps their best score, as yente compares every name of a query.
Properties bonafide does not compare (`nationality`, `address`, `country`, ... : the identity
registry, which the person index is built from, holds no address) are accepted and ignored.

Scores are probabilities: bonafide's Fellegi–Sunter model for the dataset `persons` (the
resolved persons), the watchlist screen's strength of a hit for `watchlist`. A result's
`features` maps each compared field to its weight in the model (log2 of a Bayes factor: positive
for, negative against), `explanations` says the same in yente's form (`score`, `detail`).

Nothing here logs; errors name the query's key and the property, never a value that was sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bonafide.ftm import (
    EntityIds,
    RecordSource,
    record_entities,
    record_person_id,
    resolved_person,
)
from bonafide.ftm.ids import ID_PREFIX
from bonafide.ftm.model import (
    ENTITY_PROPERTIES,
    FTM_SCHEMATA,
    REVERSE_PROPERTIES,
    WATCHLIST_TOPIC,
    Entity,
)
from bonafide.linkage.records import normalise_date
from bonafide.persons.histories import Histories
from bonafide.persons.match import Matcher
from bonafide.registry.ddl import registry_table
from bonafide.registry.schema import Kind
from bonafide.registry.store import RegistryStore
from bonafide.verify.watchlist import (
    BirthAgreement,
    NameAgreement,
    WatchlistEntry,
    WatchlistHit,
    WatchlistScreen,
)

from .problems import ProblemError

__all__ = [
    "ALGORITHM",
    "DATASETS",
    "DEFAULT_LIMIT",
    "DEFAULT_THRESHOLD",
    "MAX_BATCH",
    "MAX_LIMIT",
    "PROPERTY_FIELDS",
    "WATCHLIST_ALGORITHM",
    "YENTE_ALGORITHMS",
    "EntityLookup",
    "Query",
    "Scored",
    "algorithms",
    "entity_response",
    "match_persons",
    "match_watchlist",
    "parse_query",
    "persons_in_memory",
    "watchlist_entry_of_id",
]

DATASETS = ("persons", "watchlist")
ALGORITHM = "bonafide-fellegi-sunter"
WATCHLIST_ALGORITHM = "bonafide-watchlist"
# yente's own algorithm names: a client configured for one of them is answered by bonafide's
YENTE_ALGORITHMS = frozenset(
    ("best", "logic-v2", "logic-v1", "regression-v1", "name-based", "name-qualified", "ofac")
)
DEFAULT_THRESHOLD = 0.7  # yente's SCORE_THRESHOLD
DEFAULT_LIMIT = 5  # yente's MATCH_PAGE
MAX_LIMIT = 50
MAX_BATCH = 100  # yente's MAX_BATCH
MAX_NAMES = 5  # names of one query looked up
MAX_VALUES = 20  # values of one property
MAX_TEXT = 300  # characters in one value
POOL = 20  # candidates per name before cutoff and limit (yente scores at least 20)

# the schemata a person may be sought as; any other FtM schema finds nobody here
PERSON_SCHEMATA = frozenset(("Person", "LegalEntity", "Thing"))

# FtM property → bonafide person field (first value); names are handled apart
PROPERTY_FIELDS: dict[str, str] = {
    "birthDate": "birth_date",
    "birthPlace": "birth_place",
    "gender": "sex",
    "idNumber": "personal_number",
    "passportNumber": "passport_number",
}
_NAME_PARTS = {"lastName": "surname", "firstName": "given_name", "fatherName": "patronymic"}
_SEX = {"male": "m", "m": "m", "female": "f", "f": "f"}

# what a field's level means, for /algorithms
_FIELD_DESCRIPTIONS = {
    "given": "given name (firstName): same, a diminutive, a typo, or different, in any script",
    "surname": "surname (lastName): same, another transliteration, a typo or a part, different",
    "patronymic": "patronymic (fatherName): same, a typo, or different",
    "birth_date": "birth date (birthDate): same day, day and month swapped, a digit off, "
    "same year, the same as far as a date known to the year goes, or different",
    "personal_number": "personal number (idNumber): same, one edit, or different",
    "passport_number": "passport number (passportNumber): same, one edit, or different",
    "settlement": "place of birth (birthPlace): same, in another spelling, alike, different",
    "street": "street (not compared for queries: the identity registry holds no address)",
    "house": "house number (not compared for queries)",
    "postcode": "postcode (not compared for queries)",
    "sex": "sex (gender): same or different",
}
_DOCS = "docs/api.md#yente-compatible-screening"


@dataclass(frozen=True)
class Query:
    """One query of a batch, read."""

    key: str
    entity_id: str | None
    schema: str
    properties: dict[str, list[str]]  # as sent, as text
    records: list[dict[str, str]]  # person records, one per name; none if not a person's schema

    def example(self) -> dict[str, Any]:
        """The query as yente echoes it."""
        return {"id": self.entity_id, "schema": self.schema, "properties": self.properties}


def _invalid(detail: str) -> ProblemError:
    return ProblemError(
        422,
        "Invalid request",
        detail,
        kind="invalid-request",
        hint='send {"queries": {"q1": {"schema": "Person", "properties": {"name": ["…"]}}}}',
    )


def _values(key: str, name: str, raw: object) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    if len(items) > MAX_VALUES:
        raise _invalid(f"query {key[:40]!r}: property {name[:40]!r} has over {MAX_VALUES} values")
    values: list[str] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            continue  # a nested entity or a null: nothing to compare
        text = " ".join(str(item).split())
        if len(text) > MAX_TEXT:
            raise _invalid(
                f"query {key[:40]!r}: property {name[:40]!r} has a value over {MAX_TEXT} characters"
            )
        if text and text not in values:
            values.append(text)
    return values


def _birth_date(values: list[str]) -> str | None:
    """The first birth date given to the day, as YYYY-MM-DD."""
    for value in values:
        day = normalise_date(value[:10])
        if day is not None:
            return f"{day[:4]}-{day[4:6]}-{day[6:]}"
    return None


def parse_query(key: str, schema: str, entity_id: str | None, raw: Mapping[str, Any]) -> Query:
    """A query example read: its properties as text, and the person records it asks for."""
    if schema not in FTM_SCHEMATA:
        raise _invalid(f"query {key[:40]!r}: the schema is not a FollowTheMoney schema")
    properties = {str(name): _values(key, str(name), value) for name, value in raw.items()}
    properties = {name: values for name, values in properties.items() if values}
    if schema not in PERSON_SCHEMATA:
        return Query(key, entity_id, schema, properties, [])
    base: dict[str, str] = {}
    for name, field in PROPERTY_FIELDS.items():
        values = properties.get(name, [])
        if field == "birth_date":
            day = _birth_date(values)
            if day:
                base[field] = day
        elif field == "sex":
            sex = next((_SEX[v.lower()] for v in values if v.lower() in _SEX), None)
            if sex:
                base[field] = sex
        elif values:
            base[field] = values[0]
    records: list[dict[str, str]] = []
    parts = {
        field: properties[name][0] for name, field in _NAME_PARTS.items() if name in properties
    }
    if "patronymic" not in parts and "middleName" in properties:
        parts["patronymic"] = properties["middleName"][0]
    if "surname" in parts or "given_name" in parts:
        records.append({**base, **parts})
    for name in properties.get("name", []) + properties.get("alias", []):
        records.append({**base, "full_name": name})
    if not records:
        raise _invalid(
            f"query {key[:40]!r} gives no name: bonafide finds persons by name "
            "(name, or firstName and lastName)"
        )
    return Query(key, entity_id, schema, properties, records[:MAX_NAMES])


@dataclass
class Scored:
    """A candidate of a query: a person or a watchlist entry, its score and its reasons."""

    score: float
    features: dict[str, float]
    explanations: dict[str, dict[str, Any]]
    person_id: int | None = None
    entry: WatchlistEntry | None = None


def match_persons(matcher: Matcher, queries: Sequence[Query]) -> list[list[Scored]]:
    """Each query's persons, best first: every name of it looked up, a person's best kept."""
    records = [record for query in queries for record in query.records]
    found = matcher.match_many(records, POOL) if records else []
    answers: list[list[Scored]] = []
    position = 0
    for query in queries:
        best: dict[int, Scored] = {}
        for candidates in found[position : position + len(query.records)]:
            for candidate in candidates:
                known = best.get(candidate.person_id)
                if known is None or candidate.probability > known.score:
                    best[candidate.person_id] = _scored_person(
                        candidate.person_id, candidate.probability, candidate.explanation
                    )
        position += len(query.records)
        answers.append(sorted(best.values(), key=lambda s: -s.score))
    return answers


def _scored_person(person_id: int, probability: float, explanation: dict[str, Any]) -> Scored:
    features: dict[str, float] = {}
    explanations: dict[str, dict[str, Any]] = {}
    for step in explanation["steps"]:
        part = str(step["part"])
        weight = float(step["weight"])
        if part == "prior":
            detail = "the prior: the query is one of the resolved persons, or none"
        else:
            features[part] = weight
            detail = str(step["level"])
            adjustment = float(step.get("term_frequency_adjustment") or 0.0)
            if adjustment:
                detail += f" (value's frequency adjusts by {adjustment:+.3f})"
        explanations[part] = {"score": weight, "detail": detail, "query": None, "candidate": None}
    return Scored(probability, features, explanations, person_id=person_id)


_NAME_GRADE = {
    NameAgreement.SAME: 1.0,
    NameAgreement.ALIKE: 0.75,
    NameAgreement.INITIALS: 0.5,
    NameAgreement.OTHER_SURNAME: 0.5,
}
_BIRTH_GRADE = {
    BirthAgreement.SAME_DAY: 1.0,
    BirthAgreement.SAME_MONTH: 0.8,
    BirthAgreement.SAME_YEAR: 0.6,
    BirthAgreement.NEAR: 0.4,
    BirthAgreement.UNKNOWN: 0.0,
}


def match_watchlist(screen: WatchlistScreen, queries: Sequence[Query]) -> list[list[Scored]]:
    """Each query's watchlist hits, strongest first: every name screened, an entry's best kept."""
    answers: list[list[Scored]] = []
    for query in queries:
        best: dict[str, WatchlistHit] = {}
        birth = query.properties.get("birthDate", [None])[0]
        for record in query.records:
            identity: dict[str, Any] = {
                k: v for k, v in record.items() if k not in ("birth_date", "birth_place")
            }
            identity["birth_date"] = record.get("birth_date") or birth
            for hit in screen.screen(identity):
                known = best.get(hit.entry.record_key)
                if known is None or hit.strength > known.strength:
                    best[hit.entry.record_key] = hit
        answers.append(
            [_scored_hit(hit) for hit in sorted(best.values(), key=lambda h: -h.strength)]
        )
    return answers


def _scored_hit(hit: WatchlistHit) -> Scored:
    features = {"name": _NAME_GRADE[hit.name], "birth_date": _BIRTH_GRADE[hit.birth]}
    explanations = {
        "name": {
            "score": features["name"],
            "detail": f"{hit.name.value.replace('_', ' ')}: {hit.detail}",
            "query": None,
            "candidate": None,
        },
        "birth_date": {
            "score": features["birth_date"],
            "detail": hit.birth.value.replace("_", " "),
            "query": None,
            "candidate": None,
        },
    }
    return Scored(hit.strength, features, explanations, entry=hit.entry)


# --- entities ------------------------------------------------------------------------------


def _caption(entity: Entity) -> str:
    props: dict[str, list[str]] = entity["properties"]
    for name in ("name", "full", "number", "role", "lastName"):
        if props.get(name):
            return props[name][0]
    return str(entity["schema"])


def entity_response(entity: Entity, target: bool = False) -> dict[str, Any]:
    """An entity as yente gives one (`EntityResponse`)."""
    return {
        "id": entity["id"],
        "caption": _caption(entity),
        "schema": entity["schema"],
        "properties": entity["properties"],
        "datasets": list(entity.get("datasets", [])),
        "referents": list(entity.get("referents", [])),
        "target": target,
        "first_seen": None,
        "last_seen": None,
        "last_change": None,
    }


# the reverse of each property that points from a link (or a document) to its person
_REVERSE_OF = {prop: reverse for reverse, prop in REVERSE_PROPERTIES.items()}
_LINK_PROPERTIES = {**ENTITY_PROPERTIES, "Passport": ("holder",)}


def _rows(table: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def _parameter_marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


_SHOWN_TITLED = ("name", "firstName", "lastName", "fatherName", "birthPlace", "alias")


def persons_in_memory(
    histories: Histories, ids: EntityIds, person_ids: Sequence[int]
) -> dict[int, tuple[Entity, bool]]:
    """Each person's merged `Person` entity made from the identity records the verifier holds
    in memory (no registry query: a screening answers in milliseconds), and whether a
    watchlist record is linked to them. The values are the index's normalised ones, names
    title-cased; `GET /entities/{id}` gives the registry's own text and the `referents`."""
    found: dict[int, tuple[Entity, bool]] = {}
    for person_id in sorted({int(p) for p in person_ids}):
        identity = histories.records(Kind.IDENTITY, person_id)
        if not identity:
            continue
        listed = histories.of(Kind.WATCHLIST, person_id).num_rows > 0
        entity = resolved_person(ids, person_id, identity)
        for name in _SHOWN_TITLED:  # held normalised (lower case): shown as names are written
            if name in entity["properties"]:
                entity["properties"][name] = [
                    v.title() if isinstance(v, str) else v for v in entity["properties"][name]
                ]
        if listed:
            entity["properties"]["topics"] = [WATCHLIST_TOPIC]
        found[person_id] = (entity, listed)
    return found


class EntityLookup:
    """Entities of persons and watchlist entries, made from the registry store as
    `bonafide export ftm` makes them (same ids, same properties)."""

    def __init__(self, store: RegistryStore, ids: EntityIds) -> None:
        self.store = store
        self.ids = ids

    def persons(self, person_ids: Sequence[int]) -> dict[int, tuple[Entity, bool]]:
        """Each person's merged `Person` entity, and whether a watchlist record is linked to
        them (then the entity carries the watchlist's topic, and is a target)."""
        wanted = sorted({int(p) for p in person_ids})
        if not wanted:
            return {}
        marks = _parameter_marks(wanted)
        records: dict[int, list[dict[str, Any]]] = {}
        for row in _rows(
            self.store.arrow(
                "identity records of screened persons",
                f"SELECT l.person_id AS _person, r.* FROM person_links l "
                f"JOIN {registry_table(Kind.IDENTITY)} r ON r.record_key = l.record_key "
                f"WHERE l.kind = 'identity' AND l.person_id IN ({marks}) "
                "ORDER BY l.person_id, r.import_id, r.source_row",
                wanted,
            )
        ):
            records.setdefault(int(row.pop("_person")), []).append(row)
        referents: dict[int, list[str]] = {}
        listed: set[int] = set()
        for person_id, kind, record_key in self.store.execute(
            "records of screened persons",
            "SELECT person_id, kind, record_key FROM person_links "
            f"WHERE person_id IN ({marks}) ORDER BY person_id, kind, record_key",
            wanted,
        ):
            referents.setdefault(int(person_id), []).append(
                record_person_id(self.ids, str(kind), str(record_key))
            )
            if kind == Kind.WATCHLIST.value:
                listed.add(int(person_id))
        found: dict[int, tuple[Entity, bool]] = {}
        for person_id in wanted:
            if person_id not in referents:
                continue
            entity = resolved_person(
                self.ids, person_id, records.get(person_id, []), referents[person_id]
            )
            if person_id in listed:
                entity["properties"]["topics"] = [WATCHLIST_TOPIC]
            found[person_id] = (entity, person_id in listed)
        return found

    def nested_person(self, person_id: int, entity: Entity, target: bool) -> dict[str, Any]:
        """A person with the entities of their records nested as yente nests adjacent
        entities: each link (residence, employment, education) and document under the
        person's reverse property, its other end (an Address, an Organization) inside it."""
        response = entity_response(entity, target)
        referents = set(entity.get("referents", []))
        properties: dict[str, list[Any]] = dict(response["properties"])
        for kind in Kind:
            table = registry_table(kind)
            rows = _rows(
                self.store.arrow(
                    f"{kind.value} records of a screened person",
                    f"SELECT r.*, i.file_name FROM person_links l JOIN {table} r "
                    "ON r.record_key = l.record_key JOIN imports i ON i.import_id = r.import_id "
                    "WHERE l.kind = ? AND l.person_id = ? ORDER BY r.import_id, r.source_row",
                    [kind.value, int(person_id)],
                )
            )
            for row in rows:
                source = RecordSource.of(kind.value, row, row.get("file_name"))
                entities = record_entities(self.ids, row, source)
                by_id = {e["id"]: e for e in entities}
                for linked in entities:
                    nested = _nest(linked, referents, by_id)
                    if nested is not None:
                        reverse, value = nested
                        properties.setdefault(reverse, []).append(value)
        response["properties"] = properties
        return response

    def watchlist(self, entries: Sequence[WatchlistEntry]) -> dict[str, Entity]:
        """The `Person` entity of each watchlist entry, by record key."""
        keys = sorted({e.record_key for e in entries})
        if not keys:
            return {}
        found: dict[str, Entity] = {}
        for row in _rows(
            self.store.arrow(
                "screened watchlist records",
                f"SELECT r.*, i.file_name FROM {registry_table(Kind.WATCHLIST)} r "
                "JOIN imports i ON i.import_id = r.import_id "
                f"WHERE r.record_key IN ({_parameter_marks(keys)})",
                keys,
            )
        ):
            source = RecordSource.of(Kind.WATCHLIST.value, row, row.get("file_name"))
            found[str(row["record_key"])] = record_entities(self.ids, row, source)[0]
        return found


def _nest(
    linked: Entity, referents: set[str], by_id: dict[str, Entity]
) -> tuple[str, dict[str, Any]] | None:
    """A link or document pointing at one of the person's record entities, nested: the
    pointer back left out (it is the person), the other end expanded. None for the rest."""
    pointers = _LINK_PROPERTIES.get(linked["schema"])
    if not pointers:
        return None
    props: dict[str, list[Any]] = dict(linked["properties"])
    back = next((p for p in pointers if set(props.get(p, [])) & referents), None)
    if back is None:
        return None
    props.pop(back)
    for prop in pointers:
        if prop in props:
            props[prop] = [
                entity_response(by_id[value]) if value in by_id else value for value in props[prop]
            ]
    nested = entity_response({**linked, "properties": props})
    return _REVERSE_OF[back], nested


# --- ids back to watchlist entries ------------------------------------------------------

_WATCHLIST_PREFIX = f"{ID_PREFIX}-watchlist-"


def watchlist_entry_of_id(
    ids: EntityIds, screen: WatchlistScreen, entity_id: str
) -> WatchlistEntry | None:
    """The watchlist entry an entity id (`bf-watchlist-<32 hex>`) stands for, or None."""
    if not entity_id.startswith(_WATCHLIST_PREFIX):
        return None
    for entry in screen.entries:
        if ids.record(Kind.WATCHLIST.value, entry.record_key) == entity_id:
            return entry
    return None


# --- the algorithms ------------------------------------------------------------------------


def algorithms(matcher: Matcher | None) -> dict[str, Any]:
    """`GET /algorithms` as yente answers it: bonafide's model (the default and the best) and
    the watchlist screen, each with its features."""
    features: dict[str, dict[str, Any]] = {}
    if matcher is not None:
        model = matcher.model
        for name in model.comparisons:
            weights = model.level_weights(name)
            features[name] = {
                "description": _FIELD_DESCRIPTIONS.get(name, name),
                # the weight of the top level ("same"), before term-frequency adjustment
                "coefficient": round(float(weights[0]), 3),
                "url": _DOCS,
            }
    description = (
        "bonafide's Fellegi–Sunter model, trained on the registries by expectation "
        "maximisation. Each field compared adds its weight (log2 of m/u at the level the two "
        "values agree at, adjusted for how frequent the value is); the score is the posterior "
        "probability that the query is the person, with the prior that it is one of the "
        "resolved persons. `features` of a result: each field's weight; a feature's "
        "coefficient here: the weight of the field's values being the same. Answers the "
        "dataset `persons`; any of yente's algorithm names is answered by it too."
    )
    watchlist_features = {
        "name": {
            "description": "the names agree: same 1.0, alike 0.75 (a typo, a diminutive, "
            "another script), initials or another surname 0.5",
            "coefficient": 1.0,
            "url": _DOCS,
        },
        "birth_date": {
            "description": "the birth dates agree as far as the entry knows it: day 1.0, month "
            "0.8, year 0.6, a slip away 0.4, unknown 0.0",
            "coefficient": 1.0,
            "url": _DOCS,
        },
    }
    watchlist_description = (
        "bonafide's watchlist screen: every entry a name could be, each hit's score the strength "
        "of the agreement of names and birth dates (rules, not a trained model). Answers the "
        "dataset `watchlist`."
    )
    listed = []
    for name, text, feats in (
        (ALGORITHM, description, features),
        (WATCHLIST_ALGORITHM, watchlist_description, watchlist_features),
    ):
        listed.append(
            {
                "name": name,
                "description": text,
                "features": feats,
                "docs": {"name": name, "description": text, "config": {}, "features": feats},
            }
        )
    return {"algorithms": listed, "default": ALGORITHM, "best": ALGORITHM}
