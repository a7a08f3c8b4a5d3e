"""FollowTheMoney (FtM) entities: registries and resolved persons to and from the FtM world.

Modules, each with one job:

- model: what bonafide knows of FtM's schemata (schema names, reverse properties, topics)
- ids: stable entity ids, keyed hashes free of personal data
- entities: FtM entities from registry records and resolved persons (pure functions; the API's
  yente-shaped answers use them too)
- read: FtM JSON Lines (flat or nested) → rows of the registry kinds, for the importer
- load: an FtM file imported through the registry importer, one import per kind
- export: the store streamed out as FtM JSON Lines
- cli: `bonafide export ftm`
"""

from bonafide.ftm.entities import (
    Record,
    RecordSource,
    entity,
    ftm_date,
    person_properties,
    record_entities,
    record_person_id,
    resolved_person,
)
from bonafide.ftm.ids import EntityIds
from bonafide.ftm.model import Entity

__all__ = [
    "Entity",
    "EntityIds",
    "Record",
    "RecordSource",
    "entity",
    "ftm_date",
    "person_properties",
    "record_entities",
    "record_person_id",
    "resolved_person",
]
