"""Personal names across scripts: Belarusian, Russian and Latin forms of one name.

    >>> from bonafide.names import compare_names
    >>> compare_names("Лукашэнка Аляксандр Рыгоравіч", "Alexander Lukashenko").score > 0.5
    True

- `compare_names(a, b)`: a calibrated score and its explanation, part by part
- `NameKeyTable.build(names)` and `score_pairs(table, left, right)`: many pairs on keys computed
  once per name, with the same scores
- `parse_name`: surname(s), given name and patronymic of a written name, in any word order
- `reading`, `skeleton`, `vowel_frame`: the keys that survive transliteration schemes and typos,
  for blocking
- `transliterate`: the Latin schemes (passport, BGN/PCGN, ISO 9)
"""

from bonafide.names.batch import NameKeyTable, score_pairs
from bonafide.names.latin import looks_belarusian, reading, skeleton, vowel_frame
from bonafide.names.model import NameMatch, PartComparison, compare_names
from bonafide.names.parse import ParsedName, parse_name
from bonafide.names.transliterate import Scheme, transliterate

__all__ = [
    "NameKeyTable",
    "NameMatch",
    "ParsedName",
    "PartComparison",
    "Scheme",
    "compare_names",
    "looks_belarusian",
    "parse_name",
    "reading",
    "score_pairs",
    "skeleton",
    "transliterate",
    "vowel_frame",
]
