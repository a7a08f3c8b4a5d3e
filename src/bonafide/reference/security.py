"""Organisations of the security, police, penal, military and prosecution services, recognised
from their names in any script and language (`data/security.csv`).

    >>> security_service_of("Управление внутренних дел Лидского райисполкома")
    <ServiceSector.INTERNAL_AFFAIRS: 'internal_affairs'>
    >>> security_service_of("ИК-15") is ServiceSector.PENAL
    True
    >>> security_service_of("Министерство образования") is None
    True

The table holds the words such names are made of (внутренних дел, исправительная колония,
войсковая часть, пограничная застава) and the abbreviations (КГБ, РОВД, ОМОН, СИЗО, в/ч),
not a list of organisations, so a district department or a colony nobody listed is found too.
Where several patterns match, the longest decides (следственный изолятор is penal, not
investigation; налоговая полиция financial investigation, not police).

Not security services, and not recognised: private guard agencies (охранное агентство, ООО
«…-Охрана»: civil firms licensed by the police, not part of it; the police's own guard
department, Департамент охраны МВД, is), the Ministry for Emergency Situations (МЧС), courts,
customs, the State Control Committee (КГК) apart from its financial investigations department
(ДФР), the President's property administration (Управление делами Президента), defence-industry
enterprises and military-trade shops.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources

from bonafide.reference._patterns import PatternTable, words_of

__all__ = ["ServiceSector", "security_service_of"]


class ServiceSector(StrEnum):
    STATE_SECURITY = "state_security"  # КГБ
    INTERNAL_AFFAIRS = "internal_affairs"  # МВД: police (militia), riot police, internal troops
    PENAL = "penal"  # ДИН: colonies, prisons, pre-trial detention, ЛТП
    MILITARY = "military"  # Ministry of Defence, units, special forces, military commissariats
    PROSECUTION = "prosecution"
    INVESTIGATION = "investigation"  # Следственный комитет, ГКСЭ (forensic examinations)
    BORDER = "border"  # State Border Committee, its detachments and outposts
    PRESIDENTIAL = "presidential"  # Служба безопасности Президента, ОАЦ
    FINANCIAL_INVESTIGATION = "financial_investigation"  # ДФР КГК, economic-crime police


@cache
def _table() -> PatternTable:
    text = resources.files("bonafide.reference").joinpath("data/security.csv").read_text("utf-8")
    return PatternTable.from_csv(text, "sector", "words")


@lru_cache(maxsize=200_000)
def security_service_of(name: str) -> ServiceSector | None:
    """The service an organisation belongs to, or None for a civil one (or an empty name)."""
    if not name or not name.strip():
        return None
    found = _table().find(words_of(name))
    return ServiceSector[found] if found is not None else None
