"""Personal names across scripts: Belarusian, Russian and Latin forms."""

from bonafide.names.transliterate import Scheme, transliterate

__all__ = ["Scheme", "transliterate"]
