"""Why a residence registration ended, as registries word it."""

from __future__ import annotations

import pytest

from bonafide.reference.departures import Departure, departure_of


@pytest.mark.parametrize(
    ("reason", "departure"),
    [
        ("выбыл за пределы Республики Беларусь", Departure.EMIGRATED),
        ("выезд на ПМЖ за границу", Departure.EMIGRATED),
        ("выбыў за межы Рэспублікі Беларусь", Departure.EMIGRATED),
        ("emigrated", Departure.EMIGRATED),
        ("left the country", Departure.EMIGRATED),
        ("выбыл в Польшу", Departure.EMIGRATED),
        ("выбыл в Российскую Федерацию", Departure.EMIGRATED),
        ("в связи со смертью", Departure.DIED),
        ("смерть", Departure.DIED),
        ("смерць", Departure.DIED),
        ("умерла", Departure.DIED),
        ("died", Departure.DIED),
        ("deceased", Departure.DIED),
        ("по новому месту жительства", Departure.MOVED),
        ("выбыў на новае месца жыхарства", Departure.MOVED),
        ("выбыл в г. Гомель", Departure.MOVED),
        ("moved to Minsk", Departure.MOVED),
        ("смена места жительства", Departure.MOVED),
        # several things said: death, then leaving the country, outweigh a move
        ("выбыл за пределы Республики Беларусь по новому месту жительства", Departure.EMIGRATED),
        ("снят с регистрации в связи со смертью", Departure.DIED),
        # a reason given, none of these
        ("по решению суда", Departure.OTHER),
        ("снят с учёта", Departure.OTHER),
    ],
)
def test_departures(reason: str, departure: Departure) -> None:
    assert departure_of(reason) is departure


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_no_reason_is_none(reason: str | None) -> None:
    assert departure_of(reason) is None
