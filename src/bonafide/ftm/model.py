"""What bonafide knows of the FollowTheMoney model (FtM 4, `followthemoney/schema/*.yaml`).

bonafide writes and reads FtM entities as plain dicts rather than through the `followthemoney`
package: that package brings some 25 others (SQLAlchemy, rdflib, networkx, requests, …) for
what is here a few tables. The tests check every property bonafide writes against the
property lists of FtM 4.11's schemata (`tests/ftm/ftm_properties.json`).
"""

from __future__ import annotations

from typing import Any, Final

__all__ = [
    "DATASET_PREFIX",
    "DOCUMENT_SCHEMATA",
    "ENTITY_PROPERTIES",
    "FTM_SCHEMATA",
    "ORGANIZATION_SCHEMATA",
    "PERSONS_DATASET",
    "RESIDENCE_ROLE",
    "REVERSE_PROPERTIES",
    "WATCHLIST_TOPIC",
    "Entity",
    "dataset_of",
    "is_watchlist_topic",
]

# An entity in FtM's JSON form: {"id", "schema", "properties": {name: [values]}, "datasets"}.
Entity = dict[str, Any]

# Every schema of FtM 4.11 (abstract ones included): a schema not named here is not FtM.
FTM_SCHEMATA: Final = frozenset(
    [
        "Address",
        "Airplane",
        "Analyzable",
        "Article",
        "Asset",
        "Associate",
        "Audio",
        "BankAccount",
        "Call",
        "CallForTenders",
        "Company",
        "Contract",
        "ContractAward",
        "Control",
        "CourtCase",
        "CourtCaseParty",
        "CryptoWallet",
        "Debt",
        "Directorship",
        "Document",
        "Documentation",
        "EconomicActivity",
        "Email",
        "Employment",
        "Event",
        "Family",
        "Folder",
        "HyperText",
        "Identification",
        "Image",
        "Interest",
        "Interval",
        "LegalEntity",
        "License",
        "Membership",
        "Mention",
        "Message",
        "Note",
        "Occupancy",
        "Organization",
        "Ownership",
        "Package",
        "Page",
        "Pages",
        "Passport",
        "Payment",
        "Person",
        "PlainText",
        "Position",
        "Project",
        "ProjectParticipant",
        "PublicBody",
        "RealEstate",
        "Representation",
        "Risk",
        "Sanction",
        "Security",
        "Similar",
        "Succession",
        "Table",
        "TaxRoll",
        "Territory",
        "Thing",
        "Trip",
        "UnknownLink",
        "UserAccount",
        "Value",
        "Vehicle",
        "Vessel",
        "Video",
        "Workbook",
    ]
)

# Schemata that may stand as an employer or an educational institution (Organization and
# the schemata extending it, and LegalEntity, which sources use when they do not know).
ORGANIZATION_SCHEMATA: Final = frozenset(("Organization", "Company", "PublicBody", "LegalEntity"))

# The properties holding entity references that bonafide follows, by schema.
ENTITY_PROPERTIES: Final[dict[str, tuple[str, ...]]] = {
    "Employment": ("employee", "employer"),
    "Membership": ("member", "organization"),
    "UnknownLink": ("subject", "object"),
}

# Reverse properties, as the "nested" form of an entity holds its adjacent entities: the
# entities under `employers` of a Person are Employments whose `employee` is that Person.
REVERSE_PROPERTIES: Final[dict[str, str]] = {
    "employers": "employee",
    "employees": "employer",
    "membershipMember": "member",
    "membershipOrganization": "organization",
    "unknownLinkTo": "subject",
    "unknownLinkFrom": "object",
    "identification": "holder",
}

# Schemata of an identity document whose `holder` is a Person.
DOCUMENT_SCHEMATA: Final = frozenset(("Passport", "Identification"))

# The `role` of the UnknownLink between a Person and an Address that stands for a registered
# residence (any role is read back as a residence; this one is what bonafide writes).
RESIDENCE_ROLE: Final = "registered residence"

# The topic bonafide gives a watchlist record's Person: FtM's "Security services", the
# closest of its topics to "known to serve the adversary".
WATCHLIST_TOPIC: Final = "gov.security"

# Topics that make a Person a watchlist record when a file is imported without --kind: roles
# of power and risk, sanctions, crime, wanted, military and government service. Roles that
# mark no one as a risk (journalist, activist, lawyer, accountant, lobbyist) are not among them.
_WATCHLIST_PREFIXES: Final = (
    "role.pep",
    "role.rca",
    "role.spy",
    "role.oligarch",
    "role.pol",
    "role.judge",
    "role.civil",
    "role.diplo",
    "sanction",
    "crime",
    "wanted",
    "mil",
    "gov",
    "debarment",
    "export.control",
    "forced.labor",
)

DATASET_PREFIX: Final = "bonafide_"
PERSONS_DATASET: Final = "bonafide_persons"


def dataset_of(kind: str) -> str:
    """The FtM dataset name of a bonafide registry kind, e.g. `bonafide_identity`."""
    return f"{DATASET_PREFIX}{kind}"


def is_watchlist_topic(topic: str) -> bool:
    """Whether an FtM topic marks a person for the watchlist."""
    return any(topic == p or topic.startswith(p + ".") for p in _WATCHLIST_PREFIXES)
