"""The canonical fields of each registry kind.

A registry file may call its columns anything; a mapping (see `mapping.py`) says which source
column holds which canonical field. Everything downstream of import speaks only these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "KINDS",
    "Field",
    "FieldType",
    "Kind",
    "RegistryKind",
    "kind_schema",
]


class FieldType(StrEnum):
    """How a field's text is normalised on import."""

    ID = "id"  # a source's own record identifier, kept as given (trimmed)
    NAME = "name"  # a personal name: Unicode NFC, whitespace collapsed, lower case, script noted
    TEXT = "text"  # free text such as an address part: NFC, whitespace collapsed, lower case
    DATE = "date"  # a calendar date, at day, month or year precision
    YEAR = "year"  # a calendar year
    SEX = "sex"  # m or f
    DOCUMENT = "document"  # a document number: upper case, spaces and dashes removed


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    help: str


class Kind(StrEnum):
    IDENTITY = "identity"
    RESIDENCE = "residence"
    EDUCATION = "education"
    EMPLOYMENT = "employment"
    WATCHLIST = "watchlist"


@dataclass(frozen=True)
class RegistryKind:
    kind: Kind
    help: str
    fields: tuple[Field, ...]
    # Each inner tuple is one way to satisfy the requirement: a row must have every field of at
    # least one alternative, e.g. (surname and given_name) or full_name.
    required: tuple[tuple[str, ...], ...]

    def field(self, name: str) -> Field:
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(field.name for field in self.fields)


_PERSON = (
    Field("record_id", FieldType.ID, "the source's own identifier of the record"),
    Field("surname", FieldType.NAME, "family name as written in the source"),
    Field("given_name", FieldType.NAME, "first name as written in the source"),
    Field("patronymic", FieldType.NAME, "patronymic (father's name form), if the source has it"),
    Field(
        "full_name",
        FieldType.NAME,
        "the whole name in one column, for sources that do not split it",
    ),
    Field("birth_date", FieldType.DATE, "date of birth"),
    Field("sex", FieldType.SEX, "sex as recorded: m or f (М/Ж, M/F, male/female accepted)"),
    Field("personal_number", FieldType.DOCUMENT, "14-character Belarusian personal number"),
)

_NAME_REQUIRED = (("surname", "given_name"), ("full_name",))

KINDS: dict[Kind, RegistryKind] = {
    Kind.IDENTITY: RegistryKind(
        Kind.IDENTITY,
        "identity documents: who a person is, by the authority that issues passports",
        (
            *_PERSON,
            Field("surname_latin", FieldType.NAME, "family name in the passport's Latin form"),
            Field("given_name_latin", FieldType.NAME, "first name in the passport's Latin form"),
            Field("passport_number", FieldType.DOCUMENT, "passport: two letters and seven digits"),
            Field("birth_place", FieldType.TEXT, "place of birth"),
            Field("issued_on", FieldType.DATE, "date the document was issued"),
            Field("expires_on", FieldType.DATE, "date the document expires"),
            Field("record_created", FieldType.DATE, "date the record was created in the source"),
            Field("died_on", FieldType.DATE, "date of death, where the source records one"),
        ),
        tuple((*alt, "birth_date") for alt in _NAME_REQUIRED),
    ),
    Kind.RESIDENCE: RegistryKind(
        Kind.RESIDENCE,
        "residence registration: who was registered at which address, from when to when",
        (
            *_PERSON,
            Field("region", FieldType.TEXT, "region (voblast) of the address"),
            Field("district", FieldType.TEXT, "district (raion) of the address"),
            Field("settlement", FieldType.TEXT, "city, town or village of the address"),
            Field("street", FieldType.TEXT, "street, with its kind (улица, проспект ...)"),
            Field("house", FieldType.TEXT, "house number, with building letter or korpus"),
            Field("flat", FieldType.TEXT, "flat number"),
            Field("registered_from", FieldType.DATE, "start of the registration"),
            Field("registered_to", FieldType.DATE, "end of the registration (empty: current)"),
            Field(
                "deregistration_reason",
                FieldType.TEXT,
                "why the registration ended, as the source words it (moved, left the country, "
                "died)",
            ),
        ),
        tuple((*alt, "settlement") for alt in _NAME_REQUIRED),
    ),
    Kind.EDUCATION: RegistryKind(
        Kind.EDUCATION,
        "education: who studied where and what, from when to when",
        (
            *_PERSON,
            Field("institution", FieldType.TEXT, "school, college or university"),
            Field("institution_settlement", FieldType.TEXT, "where the institution is"),
            Field("level", FieldType.TEXT, "school, vocational, college or university"),
            Field("programme", FieldType.TEXT, "speciality or programme"),
            Field("start_year", FieldType.YEAR, "year studies began"),
            Field("graduation_year", FieldType.YEAR, "year of graduation (empty: did not finish)"),
        ),
        tuple((*alt, "institution") for alt in _NAME_REQUIRED),
    ),
    Kind.EMPLOYMENT: RegistryKind(
        Kind.EMPLOYMENT,
        "employment: who worked where, in which position, from when to when",
        (
            *_PERSON,
            Field("employer", FieldType.TEXT, "employer's name"),
            Field("employer_settlement", FieldType.TEXT, "where the employer is"),
            Field("position", FieldType.TEXT, "job title"),
            Field("employed_from", FieldType.DATE, "start of employment"),
            Field("employed_to", FieldType.DATE, "end of employment (empty: current)"),
        ),
        tuple((*alt, "employer") for alt in _NAME_REQUIRED),
    ),
    Kind.WATCHLIST: RegistryKind(
        Kind.WATCHLIST,
        "watchlist: people known to serve the adversary, e.g. security-service staff",
        (
            *_PERSON,
            Field("organisation", FieldType.TEXT, "the organisation they serve"),
            Field("role", FieldType.TEXT, "their rank, role or unit"),
            Field("source", FieldType.TEXT, "where the listing comes from"),
        ),
        _NAME_REQUIRED,
    ),
}


def kind_schema(kind: str) -> RegistryKind:
    """The schema of a registry kind, or an error naming the kinds there are."""
    from bonafide.errors import InputError

    try:
        return KINDS[Kind(kind)]
    except ValueError:
        known = ", ".join(k.value for k in Kind)
        raise InputError(f"unknown registry kind {kind!r}", hint=f"use one of: {known}") from None
