"""Claims judged on coverage in time, life's end, the registry's side, plausibility, absence.

Each test builds a dossier and the person's records by hand: the rules, not a population.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bonafide.verify.absence import absence_signals
from bonafide.verify.claims import Basis, ClaimVerdict, check_claim
from bonafide.verify.dossier import Dossier, parse_dossier
from bonafide.verify.kinds import ClaimKind
from bonafide.verify.life import Ending, life_end
from bonafide.verify.plausibility import plausibility_signals
from bonafide.verify.prose import claim_reason, questions
from bonafide.verify.signals import SignalCode
from bonafide.verify.story import story_signals
from bonafide.verify.timeline import covered_days, merged
from bonafide.verify.when import Span

D = dt.date
TODAY = D(2026, 6, 1)


def dossier(**lists: Any) -> Dossier:
    given: dict[str, Any] = {
        "dossier_id": "T1",
        "submitted": TODAY.isoformat(),
        "identity": {"surname": "Иванова", "given_name": "Анна", "birth_date": "1980-05-04"},
    }
    given.update(lists)
    parsed, problems = parse_dossier(given, TODAY)
    assert parsed is not None, problems
    return parsed


def home(settlement: str, first: dt.date, last: dt.date | None, reason: str | None = None):
    return {
        "settlement": settlement,
        "registered_from": first,
        "registered_to": last,
        "deregistration_reason": reason,
    }


def job(employer: str, first: dt.date, last: dt.date | None, position: str = "инженер"):
    return {"employer": employer, "employed_from": first, "employed_to": last, "position": position}


def test_spans_merge_and_count_days() -> None:
    runs = merged([Span(D(2000, 1, 1), D(2000, 1, 10)), Span(D(2000, 1, 5), D(2000, 1, 20))])
    assert runs == [Span(D(2000, 1, 1), D(2000, 1, 20))]
    assert covered_days(Span(D(2000, 1, 15), D(2000, 2, 1)), runs) == 6


def test_a_short_record_does_not_confirm_a_long_claim() -> None:
    claim = dossier(residences=[{"settlement": "Барысаў", "from": "2008", "to": None}]).claims[0]
    records = [home("Борисов", D(2008, 3, 1), D(2010, 5, 1))]
    result = check_claim(claim, records, TODAY)
    assert result.verdict is ClaimVerdict.CONTRADICTED
    assert result.basis is Basis.UNREGISTERED_SINCE  # and registered nowhere since
    moved_on = [*records, home("Жодино", D(2010, 5, 2), None)]
    assert check_claim(claim, moved_on, TODAY).basis is Basis.ELSEWHERE
    briefly = [*records, home("Жодино", D(2010, 5, 2), D(2011, 1, 1))]
    result = check_claim(claim, [*briefly, home("Жодино", D(2012, 1, 1), D(2013, 1, 1))], TODAY)
    assert result.verdict is ClaimVerdict.CONTRADICTED
    assert result.basis is Basis.ENDED_EARLIER  # registered elsewhere since, for a short while
    assert result.covered is not None
    assert result.covered < 0.3
    assert "not 2008–now" in claim_reason(result)


def test_a_record_covering_the_claim_confirms_it_with_a_year_off() -> None:
    claim = dossier(residences=[{"settlement": "Барысаў", "from": "2007", "to": "2019"}]).claims[0]
    result = check_claim(claim, [home("Борисов", D(2008, 3, 1), D(2020, 5, 1))], TODAY)
    assert result.verdict is ClaimVerdict.CONFIRMED
    assert result.basis is Basis.COVERED


def test_records_at_one_place_add_up() -> None:
    claim = dossier(employment=[{"employer": "Автодеталь", "from": "1996", "to": "2014"}]).claims[0]
    records = [
        job("ОАО Автодеталь", D(1996, 1, 1), D(2004, 1, 1)),
        job("ОАО Автодеталь", D(2004, 1, 2), D(2014, 6, 1), "мастер"),
    ]
    assert check_claim(claim, records, TODAY).verdict is ClaimVerdict.CONFIRMED


def test_a_stretched_job_over_years_elsewhere_is_contradicted() -> None:
    claim = dossier(employment=[{"employer": "Автодеталь", "from": "1996", "to": "2014"}]).claims[0]
    records = [
        job("ОАО Автодеталь", D(1996, 1, 1), D(1998, 6, 1)),
        job("Департамент исполнения наказаний МВД", D(1998, 7, 1), D(2014, 3, 1)),
    ]
    result = check_claim(claim, records, TODAY)
    assert result.verdict is ClaimVerdict.CONTRADICTED
    assert result.basis is Basis.ELSEWHERE


def test_a_story_running_past_emigration_is_contradicted_with_the_date() -> None:
    residences = [
        home("Минск", D(2001, 1, 1), D(2010, 9, 1), "выбыл за пределы Республики Беларусь")
    ]
    end = life_end([], residences)
    assert end is not None
    assert end.ending is Ending.EMIGRATED
    assert end.day == D(2010, 9, 1)
    claim = dossier(residences=[{"settlement": "Мінск", "from": "2001", "to": "2025"}]).claims[0]
    result = check_claim(claim, residences, TODAY, end)
    assert result.verdict is ClaimVerdict.CONTRADICTED
    assert result.basis is Basis.AFTER_EMIGRATION
    question = questions("f", [result], [], [])[0]
    assert "2010-09-01" in question
    assert "she" in question


def test_a_return_after_emigration_is_no_emigration() -> None:
    residences = [
        home("Минск", D(2001, 1, 1), D(2010, 9, 1), "выезд на ПМЖ за границу"),
        home("Минск", D(2013, 1, 1), None),
    ]
    assert life_end([], residences) is None


def test_death_in_the_identity_registry_ends_the_life() -> None:
    end = life_end([{"died_on": D(2015, 2, 3)}], [])
    assert end is not None
    assert end.ending is Ending.DIED
    claim = dossier(employment=[{"employer": "МТЗ", "from": "2005", "to": None}]).claims[0]
    result = check_claim(claim, [job("ОАО МТЗ", D(2005, 1, 1), None)], TODAY, end)
    assert result.basis is Basis.AFTER_DEATH


def test_an_unclaimed_security_job_is_a_finding_and_a_declared_one_a_lesser_one() -> None:
    records = {
        ClaimKind.EMPLOYMENT: [
            job("ОАО Автодеталь", D(1996, 1, 1), D(1998, 6, 1)),
            job(
                "Департамент исполнения наказаний МВД Республики Беларусь",
                D(1998, 7, 1),
                D(2014, 3, 1),
            ),
        ]
    }
    told = dossier(employment=[{"employer": "Автодеталь", "from": "1996", "to": "1998"}])
    codes = [s.code for s in story_signals(told, records)]
    assert SignalCode.UNCLAIMED_SERVICE in codes
    open_story = dossier(
        employment=[
            {"employer": "Автодеталь", "from": "1996", "to": "1998"},
            {"employer": "ДИН МВД", "from": "1998", "to": "2014"},
        ]
    )
    codes = [s.code for s in story_signals(open_story, records)]
    assert SignalCode.UNCLAIMED_SERVICE not in codes
    assert SignalCode.DECLARED_SERVICE in codes


def test_unclaimed_civil_years_are_shown_with_little_weight() -> None:
    records = {ClaimKind.RESIDENCE: [home("Гомель", D(2000, 1, 1), D(2010, 1, 1))]}
    signals = story_signals(dossier(), records)
    assert [s.code for s in signals] == [SignalCode.UNCLAIMED_YEARS]
    assert signals[0].weight <= 0.5


def test_claims_before_birth_and_too_young_are_findings() -> None:
    told = dossier(
        residences=[{"settlement": "Минск", "from": "1970"}],
        education=[{"institution": "СШ № 5", "level": "school", "from": "1982"}],
        employment=[{"employer": "МТЗ", "from": "1990"}],
    )
    codes = [s.code for s in plausibility_signals(told)]
    assert codes == [SignalCode.BEFORE_BIRTH, SignalCode.TOO_YOUNG, SignalCode.TOO_YOUNG]


def test_a_year_off_at_the_start_of_life_is_no_finding() -> None:
    told = dossier(
        residences=[{"settlement": "Минск", "from": "1979"}],
        education=[{"institution": "СШ № 5", "level": "school", "from": "1986"}],
        employment=[{"employer": "МТЗ", "from": "1996"}],
    )
    assert plausibility_signals(told) == []


def test_two_long_jobs_at_once_in_different_towns() -> None:
    told = dossier(
        employment=[
            {"employer": "МТЗ", "settlement": "Минск", "from": "2005", "to": "2015"},
            {"employer": "Гомсельмаш", "settlement": "Гомель", "from": "2006", "to": "2014"},
        ]
    )
    assert [s.code for s in plausibility_signals(told)] == [SignalCode.OVERLAPPING_JOBS]


def test_silence_of_a_registry_weighs_by_its_coverage() -> None:
    told = dossier(
        residences=[{"settlement": "Минск", "from": "1980"}],
        employment=[{"employer": f"Фирма {n}", "from": "2005"} for n in range(5)],
    )
    home_claim, *jobs = told.claims
    results = [check_claim(home_claim, [home("Минск", D(1980, 5, 4), None)], TODAY)]
    results += [check_claim(c, [], TODAY) for c in jobs]
    assert results[0].verdict is ClaimVerdict.CONFIRMED
    assert all(r.basis is Basis.NO_RECORDS for r in results[1:])
    strong = absence_signals(results, {"employment": 0.91})
    assert strong
    assert strong[0].weight >= 2.0
    assert strong[0].facts["decisive"]
    assert absence_signals(results, {"employment": 0.5}) == []
    # a registry that confirms nothing of the person is missing links, not a life
    assert absence_signals(results[1:], {"employment": 0.91}) == []


def test_impossible_dates_are_input_problems_naming_the_field() -> None:
    given = {
        "dossier_id": "T2",
        "identity": {"surname": "Иванова", "given_name": "Анна", "birth_date": "2031-02-30"},
        "employment": [{"employer": "МТЗ", "from": "2015-13"}],
    }
    parsed, problems = parse_dossier(given, TODAY)
    assert parsed is None
    assert any(p.startswith("identity/birth_date:") for p in problems)
    assert any(p.startswith("employment/0/from:") for p in problems)


def test_a_home_lived_in_now_but_unregistered_for_years_always_flags() -> None:
    from bonafide.verify.identity import IdentityResult, IdentityStatus
    from bonafide.verify.verdict import Verdict, overall

    told = dossier(
        residences=[{"settlement": "Полоцк", "from": "2000", "to": None}],
        employment=[{"employer": f"Фирма {n}", "from": "2001", "to": "2002"} for n in range(6)],
    )
    records = [home("Полоцк", D(2000, 8, 28), D(2020, 12, 22))]
    home_result = check_claim(told.claims[0], records, TODAY)
    assert home_result.basis is Basis.UNREGISTERED_SINCE
    jobs = [
        check_claim(c, [job(f"Фирма {n}", D(2001, 1, 1), D(2002, 6, 1))], TODAY)
        for n, c in enumerate(told.claims[1:])
    ]
    found = IdentityResult(IdentityStatus.FOUND, 1, 0.99, [])
    assert overall(found, [], [home_result, *jobs], []).verdict is Verdict.INCONSISTENT
    ended = dossier(residences=[{"settlement": "Полоцк", "from": "2000", "to": "2020"}])
    dated = check_claim(ended.claims[0], records, TODAY)
    assert overall(found, [], [dated, *jobs], []).verdict is Verdict.CONSISTENT


def test_a_new_home_claimed_after_every_registration_ended_is_contradicted() -> None:
    records = [
        home("Молодечно", D(2016, 10, 29), D(2024, 12, 17)),
        home("Новолукомль", D(1988, 6, 28), D(2016, 9, 21)),
    ]
    claim = dossier(residences=[{"settlement": "Барысаў", "from": "2026-01"}]).claims[0]
    result = check_claim(claim, records, TODAY)
    assert result.basis is Basis.UNREGISTERED_SINCE
    still_registered = [*records[:1], home("Минск", D(2025, 1, 10), None)]
    assert check_claim(claim, still_registered, TODAY).basis is Basis.ELSEWHERE  # now, in Minsk


def test_a_departure_of_a_month_ago_does_not_reach_a_story_told_until_now() -> None:
    residences = [home("Минск", D(2001, 1, 1), D(2026, 5, 10), "выезд на ПМЖ за границу")]
    end = life_end([], residences)
    claim = dossier(residences=[{"settlement": "Минск", "from": "2001", "to": None}]).claims[0]
    assert check_claim(claim, residences, TODAY, end).basis is not Basis.AFTER_EMIGRATION
    earlier = [home("Минск", D(2001, 1, 1), D(2026, 3, 1), "выезд на ПМЖ за границу")]
    result = check_claim(claim, earlier, TODAY, life_end([], earlier))
    assert result.basis is Basis.AFTER_EMIGRATION
