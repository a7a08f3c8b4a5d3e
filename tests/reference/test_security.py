"""Security-service organisations recognised from their names, in any script and language."""

from __future__ import annotations

import time

import pytest

from bonafide.reference.security import ServiceSector, security_service_of

SECTOR = ServiceSector


@pytest.mark.parametrize(
    ("name", "sector"),
    [
        # state security
        ("КГБ", SECTOR.STATE_SECURITY),
        ("КДБ", SECTOR.STATE_SECURITY),
        ("KGB of Belarus", SECTOR.STATE_SECURITY),
        ("УКГБ по Гомельской области", SECTOR.STATE_SECURITY),
        ("Комитет государственной безопасности Республики Беларусь", SECTOR.STATE_SECURITY),
        ("Камітэт дзяржаўнай бяспекі", SECTOR.STATE_SECURITY),
        ("Kamitet dziarzaunaj biaspieki", SECTOR.STATE_SECURITY),  # Latin without diacritics
        ("State Security Committee", SECTOR.STATE_SECURITY),
        # internal affairs: police, riot police, internal troops, the guard department
        ("МВД", SECTOR.INTERNAL_AFFAIRS),
        ("Міністэрства ўнутраных спраў", SECTOR.INTERNAL_AFFAIRS),
        ("Ministerstva unutranych sprau", SECTOR.INTERNAL_AFFAIRS),
        ("Ministry of Internal Affairs", SECTOR.INTERNAL_AFFAIRS),
        ("ГУВД Мингорисполкома", SECTOR.INTERNAL_AFFAIRS),
        ("УВД Брестского облисполкома", SECTOR.INTERNAL_AFFAIRS),
        ("Лидский РОВД", SECTOR.INTERNAL_AFFAIRS),
        ("Фрунзенское РУВД г. Минска", SECTOR.INTERNAL_AFFAIRS),
        ("ОМОН ГУВД Мингорисполкома", SECTOR.INTERNAL_AFFAIRS),
        ("АМАП", SECTOR.INTERNAL_AFFAIRS),
        ("OMON", SECTOR.INTERNAL_AFFAIRS),
        ("ГУБОПиК МВД", SECTOR.INTERNAL_AFFAIRS),
        ("Внутренние войска МВД", SECTOR.INTERNAL_AFFAIRS),
        ("Департамент охраны МВД", SECTOR.INTERNAL_AFFAIRS),
        ("Транспортная милиция", SECTOR.INTERNAL_AFFAIRS),
        ("riot police", SECTOR.INTERNAL_AFFAIRS),
        ("Upravlenie vnutrennikh del", SECTOR.INTERNAL_AFFAIRS),
        # penal
        ("ДИН МВД", SECTOR.PENAL),  # the department, not the ministry it belongs to
        ("Департамент исполнения наказаний", SECTOR.PENAL),
        ("ИК-15", SECTOR.PENAL),
        ("исправительная колония № 3", SECTOR.PENAL),
        ("СИЗО-1 ГУВД Мингорисполкома", SECTOR.PENAL),
        ("Следственный изолятор № 1", SECTOR.PENAL),  # not the Investigative Committee
        ("ЛТП-2", SECTOR.PENAL),
        ("penal colony No. 2", SECTOR.PENAL),
        # military
        ("войсковая часть 3214", SECTOR.MILITARY),
        ("в/ч 3214", SECTOR.MILITARY),
        ("Министерство обороны", SECTOR.MILITARY),
        ("Минобороны", SECTOR.MILITARY),
        ("5-я отдельная бригада специального назначения", SECTOR.MILITARY),
        ("Military Unit 3214", SECTOR.MILITARY),
        ("Armed Forces of the Republic of Belarus", SECTOR.MILITARY),
        # prosecution, investigation
        ("Прокуратура Минской области", SECTOR.PROSECUTION),
        ("Пракуратура Гомельскай вобласці", SECTOR.PROSECUTION),
        ("Prosecutor General's Office", SECTOR.PROSECUTION),
        ("Следственный комитет", SECTOR.INVESTIGATION),
        ("Следчы камітэт", SECTOR.INVESTIGATION),
        ("Sledstvennyj komitet", SECTOR.INVESTIGATION),
        ("Investigative Committee", SECTOR.INVESTIGATION),
        ("ГКСЭ", SECTOR.INVESTIGATION),
        # border
        ("Госпогранкомитет", SECTOR.BORDER),
        ("Пограничная застава «Брест»", SECTOR.BORDER),
        ("State Border Committee", SECTOR.BORDER),
        # presidential
        ("ОАЦ", SECTOR.PRESIDENTIAL),
        ("Оперативно-аналитический центр при Президенте", SECTOR.PRESIDENTIAL),
        ("Служба безопасности Президента Республики Беларусь", SECTOR.PRESIDENTIAL),
        ("Presidential Security Service", SECTOR.PRESIDENTIAL),
        # financial investigation
        ("ДФР КГК", SECTOR.FINANCIAL_INVESTIGATION),
        ("Департамент финансовых расследований", SECTOR.FINANCIAL_INVESTIGATION),
        ("Financial Investigations Department", SECTOR.FINANCIAL_INVESTIGATION),
    ],
)
def test_services_are_recognised(name: str, sector: ServiceSector) -> None:
    assert security_service_of(name) is sector


@pytest.mark.parametrize(
    ("name", "sector"),
    [
        ("Управление внутренних дел Лидского райисполкома", SECTOR.INTERNAL_AFFAIRS),
        ("Исправительная колония № 22 «Волчьи норы»", SECTOR.PENAL),
        ("воинская часть 5448", SECTOR.MILITARY),
        ("Отдел внутренних дел Дятловского райисполкома", SECTOR.INTERNAL_AFFAIRS),
        ("Аддзел унутраных спраў Смаргонскага райвыканкама", SECTOR.INTERNAL_AFFAIRS),
        ("Воспитательная колония № 2", SECTOR.PENAL),
        ("Пограничная застава «Дивин» Брестской пограничной группы", SECTOR.BORDER),
        ("Military Commissariat of Pinsk", SECTOR.MILITARY),
        ("Прокуратура Верхнедвинского района", SECTOR.PROSECUTION),
    ],
)
def test_organisations_nobody_listed_are_recognised(name: str, sector: ServiceSector) -> None:
    assert security_service_of(name) is sector


@pytest.mark.parametrize(
    "name",
    [
        "Министерство образования",
        "Министерство здравоохранения Республики Беларусь",
        "Белорусская железная дорога",
        "ОАО «Минский тракторный завод»",
        "ООО «Охранное агентство «Щит»",  # a private guard agency: civil
        "Охранное агентство",
        "МЧС",
        "ГУО «Средняя школа № 5 г. Лиды»",
        "Управление образования Лидского райисполкома",
        "Служба безопасности ОАО «Беларусбанк»",  # a bank's own security desk
        "ГПК № 5",  # a garage cooperative
        "Военторг",
        "ИП Иванов",
        "Лидский районный исполнительный комитет",
        "Таможня",
        "",
        "   ",
    ],
)
def test_civil_look_alikes_are_not_services(name: str) -> None:
    assert security_service_of(name) is None


def test_a_call_is_fast() -> None:
    names = [f"ОАО «Предприятие {i}»" for i in range(200)]
    names += [f"Управление внутренних дел района {i}" for i in range(200)]
    start = time.perf_counter()
    for name in names:
        security_service_of(name)
    first = (time.perf_counter() - start) / len(names)
    start = time.perf_counter()
    for _ in range(50):
        for name in names:
            security_service_of(name)
    again = (time.perf_counter() - start) / (50 * len(names))
    assert again < 20e-6
    assert first < 1e-3  # generous: a loaded test machine
