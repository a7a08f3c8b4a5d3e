"""Identity linkage: a Fellegi–Sunter model over names, dates, documents and addresses.

The batch path (`link_records`, `bonafide link|dedupe`; on Spark: `spark.py`), registry
resolution into persons (`resolve.py`, `bonafide registry resolve`) and the real-time path over
the person index (`match.py`, `bonafide match`) share one model and one set of comparisons.
"""

from bonafide.linkage.link import LinkResult, link_records
from bonafide.linkage.match import MatchCandidate, Matcher
from bonafide.linkage.model import LinkageModel
from bonafide.linkage.records import LinkMapping, PersonRecords, load_link_mapping, read_records

__all__ = [
    "LinkMapping",
    "LinkResult",
    "LinkageModel",
    "MatchCandidate",
    "Matcher",
    "PersonRecords",
    "link_records",
    "load_link_mapping",
    "read_records",
]
