"""Comparing what an applicant wrote with what a registry holds, across scripts and languages."""

from __future__ import annotations

import pytest

from bonafide.verify.texts import (
    Agreement,
    compare_house,
    compare_organisation,
    compare_settlement,
    compare_street,
    street_now_called,
)

SAME, ALIKE, DIFFERENT = Agreement.SAME, Agreement.ALIKE, Agreement.DIFFERENT


@pytest.mark.parametrize(
    ("claimed", "recorded", "agreement"),
    [
        ("Гомель", "Гомель", SAME),
        ("Гомель", "Homiel", SAME),  # Russian and the national Latin transliteration
        ("Мінск", "Minsk", SAME),
        ("Mogilev", "Магілёў", SAME),  # Russian-based Latin against Belarusian Cyrillic
        ("Брэст", "Brest", SAME),
        ("Маладзечна", "Молодечно", SAME),  # Belarusian against Russian
        ("г. Минск", "Minsk", SAME),  # "г." says only that it is a town
        ("Минск", "Минсл", ALIKE),  # a typo
        ("Минск", "Брест", DIFFERENT),
        ("Минск", "", DIFFERENT),
        ("г.", "Минск", DIFFERENT),  # nothing left to compare
    ],
)
def test_settlements(claimed: str, recorded: str, agreement: Agreement) -> None:
    assert compare_settlement(claimed, recorded) is agreement
    assert compare_settlement(recorded, claimed) is agreement


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        ("улица Садовая", "улица Садовая"),
        ("ул. Садовая", "улица Садовая"),  # the kind of street, shortened
        ("улица Садовая", "вуліца Садовая"),
        ("vulica Lienina", "улица Ленина"),
        ("ulitsa Lugovaya", "вуліца Лугавая"),
        ("улица Чыгуначная", "улица Железнодорожная"),  # a Belarusian word for the Russian one
        ("вуліца Чыгуначная", "улица Железнодорожная"),
        ("улица Победы", "вуліца Перамогі"),
        ("улица Мар’іна", "улица Марьина"),  # an apostrophe inside a Belarusian word
    ],
)
def test_streets_across_scripts_and_languages(claimed: str, recorded: str) -> None:
    agreement, renamed = compare_street(claimed, recorded)
    assert agreement is SAME
    assert not renamed


def test_a_typo_in_a_street_is_alike() -> None:
    assert compare_street("улица Гагарина", "улица Гагарима") == (ALIKE, False)


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        ("улица Садовая", "улица Лесная"),
        ("улица Ленина", "улица Пушкина"),
        ("улица Советская", "улица Советской Армии"),
    ],
)
def test_different_streets(claimed: str, recorded: str) -> None:
    assert compare_street(claimed, recorded) == (DIFFERENT, False)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("улица Жданова", "улица Садовая"),  # 1989
        ("вуліца Жданава", "улица Садовая"),  # the old name in Belarusian
        ("улица Жданова", "вуліца Садовая"),
        ("улица Кагановича", "улица Первомайская"),  # 1957
        ("улица Андропова", "улица Лесная"),  # 1988
        ("улица Ленинского Комсомола", "улица Молодёжная"),  # 1992
        ("улица Ягеллонская", "улица Советской Армии"),  # 1940
        ("улица Сталина", "улица Советская"),  # 1961, in any town
        ("улица Дворянская", "вуліца Леніна"),  # 1919
    ],
)  # fmt: skip
def test_an_old_street_name_counts_as_the_new_one(old: str, new: str) -> None:
    assert compare_street(old, new) == (SAME, True)


def test_renamings_follow_chains() -> None:
    # Ленинский проспект (until 1991) → проспект Франциска Скорины (until 2005) → Независимости
    assert street_now_called("Ленинский проспект") == ("nezavisimosti",)
    assert compare_street("праспект Францыска Скарыны", "проспект Независимости") == (SAME, True)


def test_a_minsk_renaming_does_not_rename_every_towns_lenin_street() -> None:
    # every town has its улица Ленина; only Minsk's площадь Ленина became Независимости
    assert compare_street("улица Ленина", "улица Независимости") == (DIFFERENT, False)
    assert compare_street("площадь Ленина", "площадь Независимости", "Минск") == (SAME, True)
    assert compare_street("площадь Ленина", "площадь Независимости", "Гомель") == (
        DIFFERENT,
        False,
    )


def test_a_street_never_renamed_is_itself() -> None:
    assert street_now_called("улица Лесная") == ("lesnaya",)


@pytest.mark.parametrize(
    ("claimed", "recorded", "agreement"),
    [
        ("12А", "12a", SAME),  # Cyrillic and Latin letter
        ("12 а", "12А", SAME),
        ("12-А", "12а", SAME),
        ("2 к2", "2к2", SAME),  # корпус
        ("12", "12А", DIFFERENT),
        ("5", "6", DIFFERENT),
        ("", "", DIFFERENT),  # nothing to compare
        ("-", "-", DIFFERENT),
    ],
)
def test_houses(claimed: str, recorded: str, agreement: Agreement) -> None:
    assert compare_house(claimed, recorded) is agreement


@pytest.mark.parametrize(
    ("claimed", "recorded", "agreement"),
    [
        ("Средняя школа № 71, г. Минск", "Сярэдняя школа № 71, г. Мінск", SAME),
        ("Белорусский государственный университет", "Беларускі дзяржаўны ўніверсітэт", SAME),
        ("Гомельский государственный колледж", "Гомельскі дзяржаўны каледж", SAME),
        ("ООО «Лидер»", "Лидер", SAME),  # the legal form says nothing of which company
        ("ООО «Лидер»", "ОАО «Лидер»", SAME),
        ("университет Белорусский", "Белорусский университет", ALIKE),  # words reordered
        ("ОАО «Беларуськалий»", "ОАО «Интеграл»", DIFFERENT),
        ("БГУ", "Белорусский государственный университет", DIFFERENT),  # no abbreviations
    ],
)  # fmt: skip
def test_organisations(claimed: str, recorded: str, agreement: Agreement) -> None:
    assert compare_organisation(claimed, recorded) is agreement


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        ("Средняя школа № 7, г. Минск", "Средняя школа № 71, г. Минск"),
        ("Средняя школа № 12, г. Гомель", "Сярэдняя школа № 21, г. Гомель"),
        ("Средняя школа, г. Минск", "Средняя школа № 1, г. Минск"),
        ("Гимназия № 1", "Гимназия № 1 имени 50-летия"),
    ],
)
def test_numbers_in_school_names_must_agree(claimed: str, recorded: str) -> None:
    assert compare_organisation(claimed, recorded) is DIFFERENT
    assert compare_organisation(recorded, claimed) is DIFFERENT


# Honest variants: the national romanisation typed without diacritics (c for č, s for š, z for
# ž, u for ŭ), English names, and Belarusian organisation forms agree with the registry.


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        ("vulica Soniecnaja", "улица Солнечная"),  # c for č, and a Belarusian word
        ("vulica Soniecnaja", "вуліца Сонечная"),
        ("praspiekt Miru", "проспект Мира"),
        ("vulica Pieramohi", "улица Победы"),
        ("vulica Cyhunacnaja", "улица Железнодорожная"),
        ("vul. Skolnaja", "улица Школьная"),  # s for š
        ("vulica Kastrycnickaja", "улица Октябрьская"),
        ("vulica Zaliezna", "улица Железная"),  # z for ž
        ("ulitsa Zheleznodorozhnaya", "улица Железнодорожная"),
        ("Victory Street", "улица Победы"),  # English
        ("Peace Avenue", "проспект Мира"),
    ],
)
def test_streets_typed_without_diacritics_or_in_english(claimed: str, recorded: str) -> None:
    assert compare_street(claimed, recorded)[0] in (SAME, ALIKE)


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        ("vulica Sadovaja", "улица Лесная"),
        ("vulica Soniecnaja", "улица Садовая"),
        ("vulica Skolnaja", "улица Садовая"),
        ("Victory Street", "улица Мира"),
        ("praspiekt Miru", "проспект Независимости"),
    ],
)
def test_different_streets_typed_without_diacritics_still_differ(
    claimed: str, recorded: str
) -> None:
    assert compare_street(claimed, recorded) == (DIFFERENT, False)


@pytest.mark.parametrize(
    ("claimed", "recorded", "agreement"),
    [
        ("Minsk city", "Минск", SAME),
        ("h. Homiel", "Гомель", SAME),
        ("Mahiliou", "Могилёв", SAME),
        ("Mahilou", "Могилёв", SAME),  # u for ŭ
        ("Viciebsk", "Витебск", SAME),
        ("Hrodna", "Гродно", SAME),
        ("v. Zarechcha", "д. Заречье", SAME),
        ("аг. Крупица", "Крупица", SAME),
        ("Pinsk", "Минск", DIFFERENT),
        ("Lida", "Лиозно", DIFFERENT),
        ("Homiel", "Гродно", DIFFERENT),
    ],
)
def test_settlements_typed_without_diacritics_or_in_english(
    claimed: str, recorded: str, agreement: Agreement
) -> None:
    assert compare_settlement(claimed, recorded) is agreement


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        ("Siaredniaja skola No. 169", "ГУО «Средняя школа № 169 г. Минска»"),
        ("Siaredniaja skola No. 169", "Средняя школа № 169"),
        ("Secondary School No. 1", "Средняя школа № 1"),
        ("Secondary School No. 1", "СШ № 1"),
        ("High school No. 7", "ГУО «СШ № 7»"),
        ("Gymnasium No. 5", "Гимназия № 5"),
        ("Lyceum No. 2", "Лицей № 2"),
        ("Vocational school No. 5", "ПТУ № 5"),
        ("State Educational Institution Secondary School No. 3", "ГУО «Средняя школа № 3»"),
        ("Дзяржаўная ўстанова адукацыі «Сярэдняя школа № 3 г. Ліды»", "СШ № 3 г. Лиды"),
        ("Belarusian State University", "Белорусский государственный университет"),
        (
            "Belarusian National Technical University",
            "Белорусский национальный технический университет",
        ),
        ("Gomel State University", "Гомельский государственный университет"),
        ("Homiel State Medical University", "Гомельский государственный медицинский университет"),
        ("Minsk State College of Electronics", "Минский государственный колледж электроники"),
        ("Minsk Tractor Plant", "ОАО «Минский тракторный завод»"),
        ("Minsk Tractor Works", "ОАО «Минский тракторный завод»"),
        ("Belarusian Railway", "Белорусская железная дорога"),
        ("Беларуская чыгунка", "Белорусская железная дорога"),
        ("Lida district executive committee", "Лидский районный исполнительный комитет"),
        ("Лідскі райвыканкам", "Лидский районный исполнительный комитет"),
    ],
)  # fmt: skip
def test_english_and_latin_names_of_institutions(claimed: str, recorded: str) -> None:
    assert compare_organisation(claimed, recorded) in (SAME, ALIKE)
    assert compare_organisation(recorded, claimed) in (SAME, ALIKE)


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        ("ТДА «Лідэр»", "ОДО «Лидер»"),
        ("ТАА «Лідэр»", "ООО «Лидер»"),
        ("ААТ «Інтэграл»", "ОАО «Интеграл»"),
        ("ЗАТ «Атлант»", "ЗАО «Атлант»"),
        ("УП «Мінскводаканал»", "УП «Минскводоканал»"),
        ("ПУП «Альфа»", "ЧУП «Альфа»"),
        ("ПТУП «Бета»", "ЧТУП «Бета»"),
        ("ІП Іваноў", "ИП Иванов"),
        ("РУП «Белтэлекам»", "РУП «Белтелеком»"),
        ("КУП «Мінская спадчына»", "КУП «Минское наследие»"),
        ("ДУА «Сярэдняя школа № 12 г. Гомеля»", "ГУО «Средняя школа № 12 г. Гомеля»"),
        ("TAA Lider", "ООО «Лидер»"),  # the forms in Latin
        ("TDA Lider", "ОДО «Лидер»"),
        ("AAT Intehral", "ОАО «Интеграл»"),
        ("OAO Integral", "ОАО «Интеграл»"),
        ("CUP Alfa", "ЧУП «Альфа»"),  # č typed as c
        ("IP Ivanou", "ИП Иванов"),
        ("Lider LLC", "ООО «Лидер»"),
        ("Integral OJSC", "ОАО «Интеграл»"),
        ("Открытое акционерное общество «Интеграл»", "ОАО «Интеграл»"),
        ("Таварыства з абмежаванай адказнасцю «Лідэр»", "ООО «Лидер»"),
    ],
)
def test_belarusian_russian_and_latin_organisation_forms(claimed: str, recorded: str) -> None:
    assert compare_organisation(claimed, recorded) in (SAME, ALIKE)
    assert compare_organisation(recorded, claimed) in (SAME, ALIKE)


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        ("Secondary School No. 12", "Средняя школа № 13"),
        ("Siaredniaja skola No. 169", "Средняя школа № 170"),
        ("Gymnasium No. 5", "Гимназия № 6"),
        ("Siaredniaja skola No. 169", "Гимназия № 169"),
        ("Minsk Automobile Plant", "ОАО «Минский тракторный завод»"),
        ("Minsk State Medical College", "Минский государственный колледж электроники"),
        ("ТДА «Лідэр»", "ОДО «Интеграл»"),
        ("ААТ «Гомсельмаш»", "ОАО «Белшина»"),
        ("Belarusian State University", "Белорусский государственный медицинский колледж"),
        ("IP Ivanou", "ИП Петров"),
        # one word in another's place, the rest alike: another city's, another region's
        ("Гомельский государственный университет", "Витебский государственный университет"),
        ("Управление КГБ по Гомельской области", "Управление КГБ по Витебской области"),
        ("УВД Минского облисполкома", "УВД Гомельского облисполкома"),
        ("Средняя школа № 12 г. Минска", "Средняя школа № 12 г. Гомеля"),
    ],
)
def test_different_institutions_and_employers_still_differ(claimed: str, recorded: str) -> None:
    assert compare_organisation(claimed, recorded) is DIFFERENT
    assert compare_organisation(recorded, claimed) is DIFFERENT


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        ("Управление КГБ по Гомельской обасти", "Управление КГБ по Гомельской области"),
        ("Гомельский государственый унверситет", "Гомельский государственный университет"),
        ("Витебский государственный университет", "Витебский гос. университет"),
        (  # initials differ between the languages: Николай, Мікалай
            "Гомельский государственный колледж искусств имени Н. Ф. Соколовского",
            "Гомельскі дзяржаўны каледж мастацтваў імя М. Ф. Сакалоўскага",
        ),
        # one place's Russian and Belarusian adjectives, spelt unalike, and its English name
        ("Brest State Technical University", "Брэсцкі дзяржаўны тэхнічны ўніверсітэт"),
        ("Глубокский государственный аграрный колледж", "Глыбоцкі дзяржаўны аграрны каледж"),
        (
            "Осиповичский государственный профессионально-технический колледж",
            "Асіповіцкі дзяржаўны прафесійна-тэхнічны каледж",
        ),
    ],
)
def test_a_word_misspelt_shortened_or_translated_is_not_another(
    claimed: str, recorded: str
) -> None:
    assert compare_organisation(claimed, recorded) in (SAME, ALIKE)
    assert compare_organisation(recorded, claimed) in (SAME, ALIKE)


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        ("Recyca", "Речица"),  # c for ц, y for ы
        ("Iuje", "Іўе"),  # a word of vowels, u for ў
        ("Maculiscy", "Мачулищи"),  # c for ч, sc for шч
        ("Kalodziscy", "Колодищи"),
        ("Zaslauje", "Заславль"),  # not read as село
    ],
)
def test_settlements_in_the_national_romanisation_without_diacritics(
    claimed: str, recorded: str
) -> None:
    assert compare_settlement(claimed, recorded) is not Agreement.DIFFERENT


@pytest.mark.parametrize(
    ("claimed", "recorded", "same"),
    [
        ("vulica Micurynskaja", "улица Мичуринская", True),  # c for ч, not k
        ("vulica Pracy", "улица Труда", True),  # a Belarusian word, translated
        ("улица Восточная", "вуліца Усходняя", True),
        ("vulica Micurynskaja", "улица Гагарина", False),
        ("vulica Kirava", "улица Гагарина", False),
    ],
)
def test_streets_in_the_national_romanisation_and_translated(
    claimed: str, recorded: str, same: bool
) -> None:
    agreement, _ = compare_street(claimed, recorded)
    assert (agreement is not Agreement.DIFFERENT) is same


def test_the_national_romanisations_ch_is_kh() -> None:
    assert (
        compare_organisation(
            "Bielaruski dziarzauny chareahraficny kaliedz",
            "Беларускі дзяржаўны харэаграфічны каледж",
        )
        is not Agreement.DIFFERENT
    )


def test_words_shared_by_two_ministries_do_not_make_them_one() -> None:
    assert (
        compare_organisation(
            "Министерство по чрезвычайным ситуациям Республики Беларусь",
            "Министерство обороны Республики Беларусь",
        )
        is Agreement.DIFFERENT
    )
    assert compare_organisation("БелАЗ", "ОАО «БЕЛАЗ» — управляющая компания холдинга") is not (
        Agreement.DIFFERENT
    )
