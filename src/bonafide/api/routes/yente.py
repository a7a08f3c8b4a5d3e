"""yente's matching API (`/match/{dataset}`, `/algorithms`, `/entities/{id}`), so that a client
written for yente — OpenSanctions' screening service — screens against bonafide unchanged.

Datasets: `persons` (the resolved persons, scored by bonafide's Fellegi–Sunter model) and
`watchlist` (every watchlist entry, by the watchlist screen). Requests and answers have yente's
shapes (`yente/data/common.py`); its query parameters are all accepted: `limit`, `threshold`,
`cutoff`, `include_dataset`, `exclude_dataset`, `exclude_schema`, `topics` and
`exclude_entity_ids` are applied, `algorithm` may name bonafide's or any of yente's algorithms
(bonafide's answers), and `fuzzy`, `changed_since` and the body's `weights` and `config` are
accepted and ignored. How queries are read and answers made: `api/screening.py`; docs/api.md.

Errors are problem documents (RFC 9457): their `detail` is where yente's own error body has
its message, so a yente client reads them alike. yente answers a query it cannot read or a
batch too large with 400; bonafide with 422, as for every invalid request. The token may come
as `Authorization: ApiKey …`, as yente's clients send it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from bonafide.accounts import Account, Capability
from bonafide.ftm import EntityIds
from bonafide.ftm.model import Entity
from bonafide.registry.store import RegistryStore
from bonafide.vault.audit import AuditAction
from bonafide.verify.watchlist import WatchlistScreen

from ..auth import requires, state_of
from ..person_ids import person_ids_of
from ..problems import BODY, SIGNED_IN, ProblemError, problem_responses
from ..screening import (
    ALGORITHM,
    DATASETS,
    DEFAULT_LIMIT,
    DEFAULT_THRESHOLD,
    MAX_BATCH,
    MAX_LIMIT,
    WATCHLIST_ALGORITHM,
    YENTE_ALGORITHMS,
    EntityLookup,
    Scored,
    algorithms,
    entity_response,
    match_persons,
    match_watchlist,
    parse_query,
    persons_in_memory,
    watchlist_entry_of_id,
)

__all__ = ["router"]

router = APIRouter(tags=["screening (yente)"], responses=SIGNED_IN)
Screening = Annotated[Account, Depends(requires(Capability.SCREEN))]
TS_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?$"  # yente's


class EntityExample(BaseModel):
    """An FtM entity as an example to match (yente's `EntityExample`)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(default=None, max_length=200)
    schema_: str = Field(alias="schema", max_length=100, examples=["Person"])
    properties: dict[str, str | list[Any]] = Field(
        examples=[{"name": ["Іван Іванавіч Іваноў"], "birthDate": ["1985-03-14"]}]
    )


class MatchRequest(BaseModel):
    """A batch of examples (yente's `EntityMatchQuery`); `weights` and `config` tune yente's
    algorithms and are accepted and ignored."""

    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    queries: dict[str, EntityExample]


class FeatureResult(BaseModel):
    score: float
    detail: str | None = None
    query: str | None = None
    candidate: str | None = None


class EntityResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[Any]]
    datasets: list[str] = Field(default_factory=list)
    referents: list[str] = Field(default_factory=list)
    target: bool = False
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None


class ScoredEntityResponse(EntityResponse):
    score: float = Field(description="The probability that the query is this entity.")
    match: bool = Field(description="Whether the score reaches the threshold.")
    features: dict[str, float] = Field(
        description="Each compared field's weight (log2 of a Bayes factor; for the watchlist, "
        "the grade of the agreement)."
    )
    explanations: dict[str, FeatureResult]


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class MatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    limit: int


class FeatureDoc(BaseModel):
    description: str | None
    coefficient: float
    url: str


class AlgorithmDocs(BaseModel):
    name: str
    description: str | None = None
    config: dict[str, Any]
    features: dict[str, FeatureDoc]


class Algorithm(BaseModel):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc]
    docs: AlgorithmDocs


class AlgorithmResponse(BaseModel):
    algorithms: list[Algorithm]
    default: str
    best: str


def _dataset(name: str) -> str:
    if name not in DATASETS:
        raise ProblemError(
            404,
            "Not found",
            "no such dataset: bonafide screens against `persons` and `watchlist`",
            kind="not-found",
        )
    return name


def _watchlist(screen: WatchlistScreen | None) -> WatchlistScreen:
    if screen is None:
        raise ProblemError(
            409,
            "Registries not resolved",
            "the resolved registries hold no watchlist to screen against",
            kind="registries-not-resolved",
            hint="resolve again: bonafide registry resolve --rebuild",
        )
    return screen


def _check_algorithm(algorithm: str) -> None:
    name = algorithm.strip().lower()
    if name not in YENTE_ALGORITHMS | {ALGORITHM, WATCHLIST_ALGORITHM}:
        raise ProblemError(
            422,
            "Invalid request",
            "no such algorithm (the query parameter algorithm)",
            kind="invalid-request",
            hint=f"use best, {ALGORITHM} or {WATCHLIST_ALGORITHM}: GET /algorithms lists them",
        )


def _kept(
    entity: Entity,
    dataset: str,
    include_dataset: list[str],
    exclude_dataset: list[str],
    exclude_schema: list[str],
    topics: list[str],
    exclude_ids: set[str],
) -> bool:
    datasets = {dataset, *entity.get("datasets", [])}
    if include_dataset and not datasets & set(include_dataset):
        return False
    if datasets & set(exclude_dataset) or entity["schema"] in exclude_schema:
        return False
    if topics and not set(entity["properties"].get("topics", [])) & set(topics):
        return False
    return not ({entity["id"], *entity.get("referents", [])} & exclude_ids)


@router.post(
    "/match/{dataset}",
    summary="Screen entities against persons or the watchlist, as yente's /match does",
    response_model=MatchResponse,
    responses={**BODY, **problem_responses(404, 409)},
)
async def match(
    request: Request,
    response: Response,
    account: Screening,
    body: MatchRequest,
    dataset: Annotated[
        str, Path(max_length=50, description="`persons` or `watchlist`", examples=["persons"])
    ],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Results per query")] = (
        DEFAULT_LIMIT
    ),
    threshold: Annotated[
        float, Query(description="Score from which a result is a match")
    ] = DEFAULT_THRESHOLD,
    cutoff: Annotated[
        float,
        Query(deprecated=True, description="Results scoring at most this are left out"),
    ] = DEFAULT_THRESHOLD,
    algorithm: Annotated[
        str, Query(max_length=50, description=f"best or {ALGORITHM} (yente's names too)")
    ] = "best",
    fuzzy: Annotated[
        bool, Query(description="Accepted and ignored: bonafide's matching is always tolerant")
    ] = False,
    include_dataset: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006
    exclude_dataset: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006
    exclude_schema: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006
    topics: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006
    changed_since: Annotated[
        str | None, Query(pattern=TS_PATTERN, description="Accepted and ignored")
    ] = None,
    exclude_entity_ids: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
) -> dict[str, Any]:
    """yente's query-by-example matcher: a batch of FtM entity examples (`queries`), each
    answered with its candidates, best first, `score` a probability and `match` whether it
    reaches `threshold`."""
    dataset = _dataset(dataset)
    _check_algorithm(algorithm)
    if not body.queries:
        raise ProblemError(422, "Invalid request", "no queries provided", kind="invalid-request")
    if len(body.queries) > MAX_BATCH:
        raise ProblemError(
            422,
            "Invalid request",
            f"too many queries in one batch (at most {MAX_BATCH})",
            kind="invalid-request",
            hint="send the queries in several batches",
        )
    queries = [
        parse_query(key, example.schema_, example.id, example.properties)
        for key, example in body.queries.items()
    ]
    cutoff = min(cutoff, threshold)  # as yente does
    exclude_ids = set(exclude_entity_ids)
    state = state_of(request)
    with state.stores() as opened:
        verifier = state.verifier(opened)
        if dataset == "persons":
            scored = match_persons(verifier.matcher, queries)
        else:
            scored = match_watchlist(_watchlist(verifier.watchlist), queries)
        scored = [[s for s in found if s.score > cutoff] for found in scored]
        ids = EntityIds.for_vault(opened.vault)
        entities: dict[int | str, tuple[Entity, bool]]
        if dataset == "persons":
            entities = dict(
                persons_in_memory(
                    verifier.histories,
                    ids,
                    [s.person_id for f in scored for s in f if s.person_id is not None],
                ).items()
            )
        else:
            with RegistryStore.open(opened.vault, read_only=True) as store:
                entities = _entities(EntityLookup(store, ids), dataset, scored)
        responses: dict[str, Any] = {}
        results_count = matches_count = 0
        for query, found in zip(queries, scored, strict=True):
            results = []
            for candidate in found:
                made = entities.get(_key(candidate))
                if made is None:
                    continue
                entity, target = made
                if not _kept(
                    entity,
                    dataset,
                    include_dataset,
                    exclude_dataset,
                    exclude_schema,
                    topics,
                    exclude_ids,
                ):
                    continue
                results.append(_result(entity, target, candidate, threshold))
            matches = sum(1 for r in results if r["match"])
            results = results[:limit]
            results_count += len(results)
            matches_count += matches
            responses[query.key] = {
                "status": 200,
                "results": results,
                "total": {"value": matches, "relation": "eq"},
                "query": query.example(),
            }
        opened.record(
            AuditAction.PERSONS_SCREENED,
            account.name,
            None,
            {
                "interface": "yente",
                "dataset": dataset,
                "queries": len(queries),
                "results": results_count,
                "matches": matches_count,
            },
        )
    response.headers["x-batch-size"] = str(len(responses))
    return {"responses": responses, "limit": limit}


def _key(candidate: Scored) -> int | str:
    if candidate.entry is not None:
        return candidate.entry.record_key
    assert candidate.person_id is not None
    return candidate.person_id


def _entities(
    lookup: EntityLookup, dataset: str, scored: list[list[Scored]]
) -> dict[int | str, tuple[Entity, bool]]:
    candidates = [s for found in scored for s in found]
    if dataset == "persons":
        persons = lookup.persons([s.person_id for s in candidates if s.person_id is not None])
        return dict(persons.items())
    entries = lookup.watchlist([s.entry for s in candidates if s.entry is not None])
    return {key: (entity, True) for key, entity in entries.items()}


def _result(entity: Entity, target: bool, candidate: Scored, threshold: float) -> dict[str, Any]:
    return {
        **entity_response(entity, target),
        "score": candidate.score,
        "match": candidate.score >= threshold,
        "features": candidate.features,
        "explanations": candidate.explanations,
    }


@router.get(
    "/algorithms",
    summary="The scoring algorithms, as yente describes its own",
    response_model=AlgorithmResponse,
    responses=problem_responses(409),
)
async def list_algorithms(request: Request, account: Screening) -> dict[str, Any]:
    """bonafide's Fellegi–Sunter model (the default, and the best) with its features, the
    fields it compares; and the watchlist screen."""
    state = state_of(request)
    with state.stores() as opened:
        return algorithms(state.verifier(opened).matcher)


@router.get(
    "/entities/{entity_id}",
    summary="A resolved person or a watchlist entry as an FtM entity, as yente gives one",
    response_model=EntityResponse,
    responses=problem_responses(404, 409, 422),
)
async def fetch_entity(
    request: Request,
    account: Screening,
    entity_id: Annotated[str, Path(max_length=200, description="An id /match answered with")],
    nested: Annotated[
        bool, Query(description="With the entities of the person's records nested")
    ] = True,
) -> dict[str, Any]:
    """A person (`bf-person-…`) merged from their identity records, with `referents` naming the
    records' entities; with `nested` (the default, as in yente) the residence, employment,
    education and document entities of their records too. A watchlist entry (`bf-watchlist-…`)
    as its `Person`."""
    state = state_of(request)
    with state.stores() as opened:
        verifier = state.verifier(opened)
        ids = EntityIds.for_vault(opened.vault)
        person = person_ids_of(opened.vault, verifier.matcher.index).person_of(entity_id)
        entry = (
            watchlist_entry_of_id(ids, verifier.watchlist, entity_id)
            if person is None and verifier.watchlist is not None
            else None
        )
        answer: dict[str, Any] | None = None
        if person is not None or entry is not None:
            with RegistryStore.open(opened.vault, read_only=True) as store:
                lookup = EntityLookup(store, ids)
                if person is not None:
                    made = lookup.persons([person]).get(person)
                    if made is not None:
                        entity, target = made
                        answer = (
                            lookup.nested_person(person, entity, target)
                            if nested
                            else entity_response(entity, target)
                        )
                elif entry is not None:
                    listed = lookup.watchlist([entry]).get(entry.record_key)
                    if listed is not None:
                        answer = entity_response(listed, True)
        opened.record(
            AuditAction.PERSONS_LOOKED_UP,
            account.name,
            None,
            {"interface": "yente", "entities": int(answer is not None), "nested": nested},
        )
    if answer is None:
        raise ProblemError(
            404,
            "Not found",
            "no resolved person or watchlist entry has this id",
            kind="not-found",
            hint="ids come from POST /match/{dataset}; a re-resolve may number persons anew",
        )
    return answer
