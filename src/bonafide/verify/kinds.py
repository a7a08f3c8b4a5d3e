"""The kinds of claim a dossier makes, and everything that differs between them, in one table.

A residence, a course of education and a job differ in where the dossier lists them, which
registry holds them, which record fields say when, which field names the place, and how the
report and the checkpoint speak of them. Everything else in verification is the same for all
three and reads this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bonafide.registry.schema import Kind

__all__ = ["KIND_SPECS", "ClaimKind", "KindSpec", "spec_of"]


class ClaimKind(StrEnum):
    RESIDENCE = "residence"
    EDUCATION = "education"
    EMPLOYMENT = "employment"


@dataclass(frozen=True)
class KindSpec:
    kind: ClaimKind
    dossier_key: str  # the dossier's list of such claims
    registry: Kind  # the registry that holds such records
    record_from: str  # the record's field for when it began
    record_to: str  # … and for when it ended (empty: still so)
    place: str  # the claim's and the record's field naming the place, school or employer
    record_settlement: str | None  # the record's field for where the place is, if another
    did: str  # "lived", "studied", "worked": what the person did there
    at: str  # "in" or "at": how the place follows `did`
    asked: str  # what the checkpoint asks about such a time


KIND_SPECS: dict[ClaimKind, KindSpec] = {
    ClaimKind.RESIDENCE: KindSpec(
        ClaimKind.RESIDENCE,
        "residences",
        Kind.RESIDENCE,
        "registered_from",
        "registered_to",
        "settlement",
        None,
        "lived",
        "in",
        "where {they} lived",
    ),
    ClaimKind.EDUCATION: KindSpec(
        ClaimKind.EDUCATION,
        "education",
        Kind.EDUCATION,
        "start_year",
        "graduation_year",
        "institution",
        "institution_settlement",
        "studied",
        "at",
        "which school or college {they} attended",
    ),
    ClaimKind.EMPLOYMENT: KindSpec(
        ClaimKind.EMPLOYMENT,
        "employment",
        Kind.EMPLOYMENT,
        "employed_from",
        "employed_to",
        "employer",
        "employer_settlement",
        "worked",
        "at",
        "where {they} worked",
    ),
}


def spec_of(kind: ClaimKind) -> KindSpec:
    return KIND_SPECS[kind]
