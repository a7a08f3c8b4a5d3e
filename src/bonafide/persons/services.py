"""Watchlist entries found through the service their person worked at: a second look.

A watchlist names staff of the security services as leaks and open sources do: the name in one
column, often in an English transliteration, the birth date often a year only or missing.
Without a birth date such an entry agrees as well with every namesake in the country, and a
lookup, whose prior is one in the number of persons, cannot choose among them. The registries
hold what tells the namesakes apart: the entry names the organisation the person served, and
the employment registry records who worked there.

So once the other looks have linked what they can, each watchlist record still without a person
is scored against the persons whose identity surname and given name read like two words of its
name (the surname by the consonants of its Latin reading, `former_names.surname_key`; the given
name by its class in the given-name table, `given_key`: the name may be in either order and in
any script) and who have a linked employment record at a service of the kind the entry names
(`reference.security`). A surname alone at a large service is hundreds of persons. The score is
the lookup's own (the link model, a lookup's prior), plus the service's evidence log2(m / u) as
one more comparison of the Fellegi–Sunter model, the best of the person's employers counting:

- `SAME`: an employer's name is the organisation's, written alike (`compare_organisation`);
- `ALIKE`: close enough to be the same or a part of it (a service renamed, КГБ БССР and КГБ
  Республики Беларусь; a department within a ministry);
- `SECTOR`: another organisation of the same kind of service (another unit of the army).

m, how often a listed person has a linked employer at that level with the organisation their
entry names (or none: `NONE`), is learned from the watchlist's sure links each time the look
runs; u, how often anyone has, is the persons at that level with that organisation over all
persons. A record's candidates compete as a lookup's do; the best is linked at 0.5, as a lookup
is.

The service is evidence for every pair, not only for these: a lookup's link to a person who
never worked at any service of the kind the entry names weighs log2(m / u) of `NONE`, about
−6.6 bits. So the lookups' links below UNSURE, which that could undo, are weighed again with
the look's pairs beside them: kept, moved to a person at the service, or withdrawn.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from enum import IntEnum

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from bonafide.linkage.model import LinkageModel
from bonafide.names import reading
from bonafide.names.given import class_key, given_names
from bonafide.persons.fields import as_person_records, lookup_fields_sql
from bonafide.persons.former_names import keep_value_keys, surname_key
from bonafide.persons.pair_weights import (
    identity_records,
    insert_links,
    linked_at_threshold,
    pair_weights,
    with_identity_records,
)
from bonafide.reference.security import security_service_of
from bonafide.registry.ddl import registry_table
from bonafide.registry.schema import KINDS, Kind
from bonafide.registry.store import RegistryStore

__all__ = ["ServiceLevel", "ServicesReport", "link_at_services", "organisation_levels"]

log = logging.getLogger(__name__)
IntArray = npt.NDArray[np.int64]
SURE = 0.9  # the watchlist links m is learned from
# Lookups' links weighed again: below this the service's absence (about −6.6 bits, odds of
# about 1 in 100) could take a link under 0.5; above it, it cannot.
UNSURE = 0.99
MIN_LEARNED = 100  # sure links m is learned from; with fewer there is no look
# Persons each employer's records are counted under: `organisation`, `person_id` and the best
# `level` of that person's linked employers with the organisation.
_SERVED = "services_served"
_SURNAME_KEYS = "services_surname_keys"  # `surname`, `surname_key`: the identity registry's
_GIVEN_KEYS = "services_given_keys"  # `given_name`, `given_key`: the identity registry's


class ServiceLevel(IntEnum):
    """How a person's employer agrees with the organisation a watchlist entry names."""

    NONE = 0  # no employer of the kind of service it names
    SECTOR = 1
    ALIKE = 2
    SAME = 3


@dataclass
class ServicesReport:
    """m per level (the share of sure watchlist links at it), the pairs scored, the records
    without a person linked, and of the lookups' links weighed again those moved to another
    person and those withdrawn."""

    listed_share: dict[str, float] = field(default_factory=dict)
    pairs: int = 0
    linked: int = 0
    moved: int = 0
    withdrawn: int = 0


def organisation_levels(organisations: list[str], employers: list[str]) -> pa.Table:
    """Each organisation with each employer of the same kind of service, and their level
    (`organisation`, `employer`, `level`); civil organisations and employers are left out."""
    # imported here: the verifier, which reads the persons resolve makes, owns the comparison
    from bonafide.verify.texts import Agreement, compare_organisation

    by_sector: dict[str, list[str]] = {}
    for employer in employers:
        sector = security_service_of(employer)
        if sector is not None:
            by_sector.setdefault(sector.value, []).append(employer)
    rows: dict[str, list[object]] = {"organisation": [], "employer": [], "level": []}
    for organisation in organisations:
        sector = security_service_of(organisation)
        for employer in by_sector.get(sector.value, []) if sector is not None else []:
            agreement = compare_organisation(organisation, employer)
            level = {Agreement.SAME: ServiceLevel.SAME, Agreement.ALIKE: ServiceLevel.ALIKE}.get(
                agreement, ServiceLevel.SECTOR
            )
            rows["organisation"].append(organisation)
            rows["employer"].append(employer)
            rows["level"].append(int(level))
    return pa.table(
        {
            "organisation": pa.array(rows["organisation"], pa.string()),
            "employer": pa.array(rows["employer"], pa.string()),
            "level": pa.array(rows["level"], pa.int8()),
        }
    )


def link_at_services(
    store: RegistryStore,
    model: LinkageModel,
    persons: int,
    report: ServicesReport,
    asked: str = "TRUE",
    workers: int = 1,
    held: str | None = None,
) -> None:
    """Link the watchlist records without a person to the persons who worked at the service
    they name, where that makes them probable, and weigh the lookups' unsure links again with
    the service (module text); `model` scores the records as a lookup's are, its prior one in
    `persons`. `asked`: an SQL condition on the watchlist's rows
    choosing the records to look at (a resolve's own; default all). The pairs are scored by
    `workers` forked processes. `held`: a table of watchlist links (record_key, person_id,
    probability) held apart from the person links, weighed again as theirs are, and the one
    whose links the look replaces (a resolve's unsure links: deleting rows it wrote in its
    transaction from the person links would make its commit write them all again)."""
    if not _applies():
        return
    links = _watchlist_links(held)
    levels = _levels(store, asked, links)
    if not levels.num_rows:
        return
    try:
        with store.scanning("service_levels", levels):
            _gather_served(store)
        shares = _listed_shares(store, links)
        if shares is None:
            return
        report.listed_share = {level.name.lower(): share for level, share in shares.items()}
        model = replace(model, prior=1.0 / max(persons, 2))
        _link(store, model, persons, shares, asked, workers, report, held)
    finally:
        for table in (_SERVED, _SURNAME_KEYS, _GIVEN_KEYS):
            store.execute("drop a table of services", f"DROP TABLE IF EXISTS {table}")
    log.info(
        "resolve services pairs=%d linked=%d moved=%d withdrawn=%d",
        report.pairs,
        report.linked,
        report.moved,
        report.withdrawn,
    )


def _applies() -> bool:
    """Whether the registries have what the look reads: a watchlist's organisation and an
    employment registry's employer."""
    return "organisation" in KINDS[Kind.WATCHLIST].field_names and (
        "employer" in KINDS[Kind.EMPLOYMENT].field_names
    )


def _watchlist_links(held: str | None) -> str:
    """SQL: the watchlist's links (record_key, person_id, probability), those held apart
    too."""
    links = "SELECT record_key, person_id, probability FROM person_links WHERE kind = 'watchlist'"
    if held is None:
        return links
    return f"{links} UNION ALL SELECT record_key, person_id, probability FROM {held}"


def _open_records(asked: str, links: str) -> str:
    """SQL: the asked watchlist records that name an organisation and have no person or one
    linked below UNSURE (`linked_person`), of the watchlist's `links`."""
    return (
        f"SELECT r.*, l.person_id AS linked_person FROM {registry_table(Kind.WATCHLIST)} r "
        f"LEFT JOIN ({links}) l ON l.record_key = r.record_key "
        f"WHERE r.organisation IS NOT NULL AND ({asked}) "
        f"AND (l.person_id IS NULL OR l.probability < {UNSURE})"
    )


def _levels(store: RegistryStore, asked: str, links: str) -> pa.Table:
    """The levels of the organisations the open records and the sure links name with every
    employer of the same kind of service."""
    organisations = store.arrow(
        "read the organisations watchlist entries name",
        f"SELECT DISTINCT organisation FROM ({_open_records(asked, links)}) "
        f"UNION SELECT DISTINCT r.organisation FROM {registry_table(Kind.WATCHLIST)} r "
        f"JOIN ({links}) l ON l.record_key = r.record_key "
        f"WHERE l.probability >= {SURE} AND r.organisation IS NOT NULL",
    )
    employers = store.arrow(
        "read the employers of the employment registry",
        f"SELECT DISTINCT employer FROM {registry_table(Kind.EMPLOYMENT)} "
        "WHERE employer IS NOT NULL",
    )
    return organisation_levels(
        [str(o) for o in organisations.column("organisation").to_pylist()],
        [str(e) for e in employers.column("employer").to_pylist()],
    )


def _gather_served(store: RegistryStore) -> None:
    store.execute(
        "gather the persons who worked at services",
        f"""
        CREATE OR REPLACE TEMP TABLE {_SERVED} AS
        SELECT v.organisation, l.person_id, max(v.level) AS level
        FROM {registry_table(Kind.EMPLOYMENT)} e
        JOIN service_levels v ON v.employer = e.employer
        JOIN person_links l ON l.record_key = e.record_key AND l.kind = 'employment'
        GROUP BY ALL
        """,
    )


def _listed_shares(store: RegistryStore, links: str) -> dict[ServiceLevel, float] | None:
    """m per level: of the watchlist's sure links naming an organisation, the share whose
    person's best employer is at that level with it; None with too few to learn from."""
    rows = store.execute(
        "learn how often listed persons worked where their entry says",
        f"""
        SELECT coalesce(s.level, 0) AS level, count(*)
        FROM {registry_table(Kind.WATCHLIST)} r
        JOIN ({links}) l ON l.record_key = r.record_key
        LEFT JOIN {_SERVED} s ON s.organisation = r.organisation AND s.person_id = l.person_id
        WHERE l.probability >= {SURE} AND r.organisation IS NOT NULL
        GROUP BY 1
        """,
    )
    counts = {int(level): int(count) for level, count in rows}
    sure = sum(counts.values())
    if sure < MIN_LEARNED or not counts.keys() - {ServiceLevel.NONE}:
        return None
    # one more of each level than seen: a level no sure link reached still weighs something
    return {
        level: (counts.get(level, 0) + 1) / (sure + len(ServiceLevel)) for level in ServiceLevel
    }


def _link(
    store: RegistryStore,
    model: LinkageModel,
    persons: int,
    shares: dict[ServiceLevel, float],
    asked: str,
    workers: int,
    report: ServicesReport,
    held: str | None,
) -> None:
    """Score the asked records against the persons at their services (and a linked one
    against its person, wherever they worked), and link each to the most probable at 0.5."""
    looked = lookup_fields_sql(
        Kind.WATCHLIST,
        f"({_open_records(asked, _watchlist_links(held))}) r",
        keep=("organisation", "linked_person"),
    )
    records = store.arrow("read watchlist records to look at", f"{looked} ORDER BY record_key")
    if not records.num_rows:
        return
    _keep_name_keys(store)
    looked_at = pa.table(
        {
            "record": pa.array(np.arange(records.num_rows), pa.int64()),
            "organisation": records.column("organisation"),
            "linked_person": records.column("linked_person"),
        }
    )
    identity = registry_table(Kind.IDENTITY)
    with store.scanning("open_keys", _word_keys(records)), store.scanning("open", looked_at):
        # a surname alone at a large service is hundreds of persons (at 10 M people, 39 M
        # pairs): an entry and a person share a surname and a given name, in either order
        pairs = store.arrow(
            "find the persons at the services watchlist entries name",
            f"""
            WITH surnames AS (
                -- the names the entries bear, first: the identity registry is then read
                -- against a few thousand of its values, not against all of them
                SELECT surname, surname_key FROM {_SURNAME_KEYS}
                SEMI JOIN open_keys USING (surname_key)
            ),
            given_names AS (
                SELECT given_name, given_key FROM {_GIVEN_KEYS}
                SEMI JOIN open_keys USING (given_key)
            ),
            named AS (
                SELECT r.record_key, s.surname_key, g.given_key FROM {identity} r
                JOIN surnames s ON s.surname = r.surname
                JOIN given_names g ON g.given_name = r.given_name
                SEMI JOIN (SELECT DISTINCT surname_key, given_key FROM open_keys) o
                    USING (surname_key, given_key)
            ),
            served AS (
                -- narrowed to persons who served anywhere before the names are paired: a
                -- common name is thousands of persons (at 10 M people 5.8 M named records)
                SELECT n.surname_key, n.given_key, l.person_id FROM named n
                JOIN person_links l ON l.record_key = n.record_key AND l.kind = 'identity'
                SEMI JOIN {_SERVED} v ON v.person_id = l.person_id
            ),
            found AS (
                SELECT DISTINCT o.record, s.person_id FROM open_keys o
                JOIN served s USING (surname_key, given_key)
                SEMI JOIN {_SERVED} v
                    ON v.person_id = s.person_id AND v.organisation = o.organisation
                UNION
                SELECT record, linked_person FROM open WHERE linked_person IS NOT NULL
            ),
            at_levels AS (
                SELECT organisation, level, count(*) AS persons FROM {_SERVED} GROUP BY ALL
            )
            SELECT f.record, f.person_id, coalesce(v.level, 0) AS level,
                coalesce(a.persons, {persons} - (SELECT coalesce(sum(persons), 0)
                    FROM at_levels t WHERE t.organisation = o.organisation)) AS at_level
            FROM found f JOIN open o USING (record)
            LEFT JOIN {_SERVED} v
                ON v.person_id = f.person_id AND v.organisation = o.organisation
            LEFT JOIN at_levels a ON a.organisation = o.organisation AND a.level = v.level
            ORDER BY f.record, f.person_id
            """,
        )
    if not pairs.num_rows:
        return
    record = np.asarray(pairs.column("record").to_numpy(), dtype=np.int64)
    person = np.asarray(pairs.column("person_id").to_numpy(), dtype=np.int64)
    level = np.asarray(pairs.column("level").to_numpy(), dtype=np.int64)
    at_level = np.asarray(pairs.column("at_level").to_numpy(), dtype=np.float64)
    identities, identity_person = identity_records(store, np.unique(person))
    pair, identity_row = with_identity_records(person, identity_person)
    weight = pair_weights(
        model,
        as_person_records(records.drop_columns(["organisation", "linked_person"])),
        identities,
        record[pair],
        identity_row,
        workers,
    )
    # the service's evidence, as one more comparison: log2(m / u) of the pair's level
    m = np.array([shares[level] for level in ServiceLevel])[level]
    u = np.clip(at_level / max(persons, 2), 1.0 / max(persons, 2), 1.0)
    weight += np.log2(m / u)[pair]
    linked, linked_person, probability = linked_at_threshold(
        records.num_rows, record[pair], identity_row, identity_person, weight
    )
    report.pairs = len(pair)
    _write(store, records, linked, linked_person, probability, report, held)


def _write(
    store: RegistryStore,
    records: pa.Table,
    linked: IntArray,
    linked_person: IntArray,
    probability: npt.NDArray[np.float64],
    report: ServicesReport,
    held: str | None,
) -> None:
    """Replace the looked-at records' links by those the look made (in `held`, where the
    links are held apart); count what changed."""
    before = np.asarray(
        pc.fill_null(records.column("linked_person"), -1).to_numpy(), dtype=np.int64
    )
    had = before >= 0
    after = np.full(records.num_rows, -1, dtype=np.int64)
    after[linked] = linked_person
    report.linked = int((~had & (after >= 0)).sum())
    report.withdrawn = int((had & (after < 0)).sum())
    report.moved = int((had & (after >= 0) & (after != before)).sum())
    weighed = pa.table({"record_key": records.column("record_key").filter(pa.array(had))})
    if held is not None:
        # a resolve's own links are held apart; what is not there is in the person links
        # (a link of an earlier resolve, its record looked at again)
        with store.scanning("weighed_again", weighed):
            withdrawn = store.execute(
                "withdraw the held watchlist links weighed again",
                f"DELETE FROM {held} WHERE record_key IN "
                "(SELECT record_key FROM weighed_again) RETURNING record_key",
            )
        was_held = pa.array([str(row[0]) for row in withdrawn], pa.string())
        weighed = weighed.filter(pc.invert(pc.is_in(weighed.column("record_key"), was_held)))
    if weighed.num_rows:
        with store.scanning("weighed_again", weighed):
            store.execute(
                "withdraw the watchlist links weighed again",
                "DELETE FROM person_links WHERE kind = 'watchlist' "
                "AND record_key IN (SELECT record_key FROM weighed_again)",
            )
    links = pa.table(
        {
            "record_key": records.column("record_key").take(pa.array(linked)),
            "person_id": pa.array(linked_person, pa.int64()),
            "probability": pa.array(probability, pa.float64()),
        }
    )
    insert_links(store, Kind.WATCHLIST, links, "write links of watchlist entries at services")


def _keep_name_keys(store: RegistryStore) -> None:
    """`_SURNAME_KEYS` and `_GIVEN_KEYS`: each distinct surname and given name of the identity
    registry, and its key."""
    keep_value_keys(store, _SURNAME_KEYS, "surname", "surname_key", surname_key, [Kind.IDENTITY])
    keep_value_keys(store, _GIVEN_KEYS, "given_name", "given_key", given_key, [Kind.IDENTITY])


def given_key(given: str) -> str:
    """What a given name is joined by: the blocking keys' given-name class (`class_key`)."""
    latin = " ".join(reading(word) for word in given.split())
    return class_key(given_names().lookup(latin), latin)


def _word_keys(records: pa.Table) -> pa.Table:
    """Each record (its row in `records`) with its organisation, once per two words of its
    name read as surname and given name (`surname_key`, `given_key`): which word is which, a
    list does not say."""
    texts = records.column("full_name").to_pylist()
    organisations = records.column("organisation").to_pylist()
    rows: dict[str, list[object]] = {
        "record": [],
        "organisation": [],
        "surname_key": [],
        "given_key": [],
    }
    for row, (text, organisation) in enumerate(zip(texts, organisations, strict=True)):
        words = str(text or "").split()
        found = {
            (surname_key(surname), given_key(given))
            for n, surname in enumerate(words)
            for m, given in enumerate(words)
            if n != m
        }
        for surname, given in sorted(k for k in found if k[0] and k[1]):
            rows["record"].append(row)
            rows["organisation"].append(organisation)
            rows["surname_key"].append(surname)
            rows["given_key"].append(given)
    return pa.table(
        {
            "record": pa.array(rows["record"], pa.int64()),
            "organisation": pa.array(rows["organisation"], pa.string()),
            "surname_key": pa.array(rows["surname_key"], pa.string()),
            "given_key": pa.array(rows["given_key"], pa.string()),
        }
    )
