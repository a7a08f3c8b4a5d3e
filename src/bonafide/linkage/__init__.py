"""Identity linkage: a Fellegi–Sunter model over names, dates, documents and addresses.

Work in progress (issue 4): the model, blocking, estimation and the batch link path exist; the
real-time path, registry resolution and the Spark path follow.
"""

from bonafide.linkage.link import LinkResult, link_records
from bonafide.linkage.model import LinkageModel
from bonafide.linkage.records import LinkMapping, PersonRecords, load_link_mapping, read_records

__all__ = [
    "LinkMapping",
    "LinkResult",
    "LinkageModel",
    "PersonRecords",
    "link_records",
    "load_link_mapping",
    "read_records",
]
