"""Identity linkage: a Fellegi–Sunter model over names, dates, documents and addresses.

A pure engine: records in, scored pairs and models out; it keeps nothing. The batch path
(`link_records`, `bonafide link|dedupe`; on Spark: `spark.py`) and the real-time path over the
person index (`bonafide.persons.match`) share one model and one set of comparisons.
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
