"""A synthetic stream of sighting reports with its ground truth (`bonafide reports synth`).

True events are seen by honest observers who err as people do; staged events are floods of
near-identical false reports in a burst. Everything comes from one `random.Random(seed)`, so
the same settings give the same files, byte for byte.

- **Places**: `synth_places.csv`, the generator's own small table of real settlements (with
  Belarusian, Russian and Latin names and approximate coordinates), roads and railways as
  sequences of settlements, and areas around airfields. It shares nothing with the gazetteer.
- **Honest events** (`genuine=1`): a convoy along a stretch of a road (40–70 km/h), a military
  train along a stretch of a railway (50–90 km/h), aircraft over an area (within 20 minutes),
  a checkpoint at one settlement for a day, troops on foot or exercises at one settlement for
  a few hours. Each is seen by 1–8 observers (`OBSERVERS`); an observer of a moving event
  stands at a settlement on its route and sees it when it passes, ± their error.
- **An observer's errors**: time off by a few minutes (σ 8 min), rounded to 5, 15 or 30
  minutes by a quarter of them, an hour off by 3 %; count estimated with a log-normal error
  (σ 0.25), rounded to 5 or 10 when large, left out by 8 %; direction one octant off by 10 %,
  "unknown" by 8 %; the place written in Belarusian, Russian or one of several Latin habits
  (`bonafide.synth.spelling`), with a typo by 15 % (`bonafide.synth.noise`), as coordinates
  by 8 %, as a road and a settlement by 10 % of road events; text from the generator's own
  templates in be, ru or en.
- **Duplicates**: 7 % of honest observers send the same report again 1–15 minutes later.
- **Floods** (`genuine=0`): 20–200 reports of one fake event at one place, sent within
  2–20 minutes, with the same claimed time (± 5 min), nearly the same count and text; about
  `flood_share` of all reports.

Events follow each other in time (`events_per_day`, by default 40 across the country), so the
stream's span grows with its size and its density stays that of a busy day. Reports are
written in the order they were sent.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from importlib import resources
from pathlib import Path

from bonafide.reports.model import Category, Direction, Report
from bonafide.synth.noise import typo
from bonafide.synth.spelling import Habit, clerk_typo, spell

__all__ = [
    "EventKind",
    "Settlement",
    "SynthEvent",
    "SynthReport",
    "SynthStream",
    "SynthStreamConfig",
    "Synthetic",
    "generate_stream",
    "load_places",
    "write_stream",
]

OBSERVERS = (0.12, 0.20, 0.20, 0.16, 0.12, 0.09, 0.06, 0.05)  # shares of 1, 2, … 8 observers
_OCTANTS = (
    Direction.N,
    Direction.NE,
    Direction.E,
    Direction.SE,
    Direction.S,
    Direction.SW,
    Direction.W,
    Direction.NW,
)


class EventKind(StrEnum):
    CONVOY = "convoy"
    TRAIN = "train"
    AIRCRAFT = "aircraft"
    CHECKPOINT = "checkpoint"
    TROOPS = "troops"
    EXERCISE = "exercise"
    FLOOD = "flood"


_CATEGORY = {
    EventKind.CONVOY: Category.MILITARY_VEHICLES,
    EventKind.TRAIN: Category.RAIL_TRANSPORT,
    EventKind.AIRCRAFT: Category.AIRCRAFT,
    EventKind.CHECKPOINT: Category.CHECKPOINT,
    EventKind.TROOPS: Category.TROOPS_ON_FOOT,
    EventKind.EXERCISE: Category.OTHER,
}
_KIND_SHARES = {
    EventKind.CONVOY: 0.40,
    EventKind.TRAIN: 0.20,
    EventKind.AIRCRAFT: 0.15,
    EventKind.CHECKPOINT: 0.15,
    EventKind.TROOPS: 0.07,
    EventKind.EXERCISE: 0.03,
}
_TRUE_COUNT = {
    EventKind.CONVOY: (5, 80),
    EventKind.TRAIN: (10, 60),
    EventKind.AIRCRAFT: (1, 6),
    EventKind.CHECKPOINT: (2, 12),
    EventKind.TROOPS: (10, 150),
    EventKind.EXERCISE: (20, 300),
}

# ---------------------------------------------------------------------------------------------
# Places


@dataclass(frozen=True)
class Settlement:
    code: str
    be: str
    ru: str
    latin: str
    lat: float
    lon: float
    spellings: tuple[str, ...]  # every distinct way the generator writes the name, typos aside


@dataclass(frozen=True)
class Places:
    settlements: dict[str, Settlement]
    roads: dict[str, tuple[str, ...]]
    rails: dict[str, tuple[str, ...]]
    areas: dict[str, tuple[str, ...]]


def _spellings(be: str, ru: str, latin: str) -> tuple[str, ...]:
    names = [be, ru, latin, *(spell(habit, ru=ru, be=be) for habit in Habit)]
    return tuple(dict.fromkeys(names))


def load_places() -> Places:
    """The generator's table of places (`synth_places.csv`), checked for unknown stops."""
    text = resources.files("bonafide.reports").joinpath("synth_places.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    settlements: dict[str, Settlement] = {}
    lines_of: dict[str, dict[str, tuple[str, ...]]] = {"road": {}, "rail": {}, "area": {}}
    for row in csv.DictReader(lines):
        if row["kind"] == "settlement":
            settlements[row["code"]] = Settlement(
                code=row["code"],
                be=row["be"],
                ru=row["ru"],
                latin=row["latin"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                spellings=_spellings(row["be"], row["ru"], row["latin"]),
            )
        else:
            lines_of[row["kind"]][row["code"]] = tuple(row["stops"].split(";"))
    for kind in lines_of.values():
        for code, stops in kind.items():
            unknown = [stop for stop in stops if stop not in settlements]
            if unknown:
                raise ValueError(f"synth_places.csv: {code} has unknown stops {unknown}")
    return Places(settlements, lines_of["road"], lines_of["rail"], lines_of["area"])


def _km(a: Settlement, b: Settlement) -> float:
    """Great-circle distance in kilometres."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _heading(a: Settlement, b: Settlement) -> Direction:
    dx = (b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    dy = b.lat - a.lat
    angle = math.degrees(math.atan2(dx, dy)) % 360
    return _OCTANTS[round(angle / 45) % 8]


# ---------------------------------------------------------------------------------------------
# What a person writes

_DIRECTION_WORDS = {
    "en": {
        "N": "north",
        "NE": "north-east",
        "E": "east",
        "SE": "south-east",
        "S": "south",
        "SW": "south-west",
        "W": "west",
        "NW": "north-west",
        "stationary": "standing still",
        "unknown": "direction unclear",
    },
    "ru": {
        "N": "на север",
        "NE": "на северо-восток",
        "E": "на восток",
        "SE": "на юго-восток",
        "S": "на юг",
        "SW": "на юго-запад",
        "W": "на запад",
        "NW": "на северо-запад",
        "stationary": "стоят на месте",
        "unknown": "куда — непонятно",
    },
    "be": {
        "N": "на поўнач",
        "NE": "на паўночны ўсход",
        "E": "на ўсход",
        "SE": "на паўднёвы ўсход",
        "S": "на поўдзень",
        "SW": "на паўднёвы захад",
        "W": "на захад",
        "NW": "на паўночны захад",
        "stationary": "стаяць на месцы",
        "unknown": "кірунак незразумелы",
    },
}
_SEVERAL = {"en": "several", "ru": "несколько", "be": "некалькі"}
_TEMPLATES: dict[Category, dict[str, tuple[str, ...]]] = {
    Category.MILITARY_VEHICLES: {
        "en": (
            "Convoy of {count} military vehicles heading {dir}",
            "About {count} army trucks and APCs, moving {dir}",
            "Military column, {count} vehicles, {dir}",
        ),
        "ru": (
            "Колонна военной техники, {count} ед., движется {dir}",
            "Около {count} военных машин едут {dir}",
            "Видел колонну: {count} машин, КамАЗы и БТР, {dir}",
        ),
        "be": (
            "Калона вайсковай тэхнікі, {count} адз., рухаецца {dir}",
            "Каля {count} вайсковых машын едуць {dir}",
        ),
    },
    Category.RAIL_TRANSPORT: {
        "en": ("Military train, {count} flatcars with vehicles, going {dir}",),
        "ru": (
            "Эшелон с техникой, {count} платформ, идёт {dir}",
            "Поезд с военной техникой, вагонов {count}, {dir}",
        ),
        "be": ("Эшалон з тэхнікай, {count} платформаў, ідзе {dir}",),
    },
    Category.AIRCRAFT: {
        "en": ("{count} helicopters flying low {dir}", "Saw {count} military planes, {dir}"),
        "ru": ("Вертолёты, {count} шт., летят низко {dir}", "Военные самолёты ({count}), {dir}"),
        "be": ("Верталёты, {count} шт., ляцяць нізка {dir}",),
    },
    Category.CHECKPOINT: {
        "en": ("Checkpoint on the road, {count} soldiers checking cars, {dir}",),
        "ru": ("Блокпост на дороге, {count} военных проверяют машины, {dir}",),
        "be": ("Блокпост на дарозе, {count} вайскоўцаў правяраюць машыны, {dir}",),
    },
    Category.TROOPS_ON_FOOT: {
        "en": ("Group of about {count} soldiers on foot, {dir}",),
        "ru": ("Группа военных пешком, около {count} человек, идут {dir}",),
        "be": ("Група вайскоўцаў пешшу, каля {count} чалавек, ідуць {dir}",),
    },
    Category.OTHER: {
        "en": ("Military exercise near the town, about {count} soldiers and vehicles, {dir}",),
        "ru": ("Учения возле города, около {count} военных и техники, {dir}",),
        "be": ("Вучэнні каля горада, каля {count} вайскоўцаў і тэхнікі, {dir}",),
    },
}
_LANGUAGES = ("ru", "be", "en")
_LANGUAGE_SHARES = (0.5, 0.25, 0.25)
_URGENT = {"ru": ("СРОЧНО! ", "Внимание! "), "be": ("ТЭРМІНОВА! ", "Увага! "), "en": ("URGENT: ",)}
_ROAD_FORMS = ("{road} near {name}", "{road}, {name}", "трасса {road}, {name}", "{road} ({name})")


def _text(
    rnd: random.Random, category: Category, count: int | None, direction: str, urgent: bool = False
) -> str:
    language = rnd.choices(_LANGUAGES, _LANGUAGE_SHARES)[0]
    template = rnd.choice(_TEMPLATES[category][language])
    number = str(count) if count is not None else _SEVERAL[language]
    text = template.format(count=number, dir=_DIRECTION_WORDS[language][direction])
    return rnd.choice(_URGENT[language]) + text if urgent else text


def _name(rnd: random.Random, place: Settlement) -> str:
    """A settlement's name as an observer types it: a script, a Latin habit, maybe a typo."""
    draw = rnd.random()
    if draw < 0.30:
        name = place.be
    elif draw < 0.75:
        name = place.ru
    elif draw < 0.87:
        name = place.latin
    else:
        name = rnd.choice(place.spellings)
    draw = rnd.random()
    if draw < 0.15:
        name = clerk_typo(name, rnd) if name.isascii() else typo(name, rnd)
    elif draw < 0.22:
        name = name.lower()
    elif draw < 0.27 and not name.isascii():
        name = "г. " + name
    return name


def _place_text(rnd: random.Random, place: Settlement, road: str | None) -> str:
    draw = rnd.random()
    if draw < 0.08:
        lat = place.lat + rnd.gauss(0, 0.01)
        lon = place.lon + rnd.gauss(0, 0.015)
        return f"{lat:.2f}, {lon:.2f}" if rnd.random() < 0.7 else f"{lat:.4f} {lon:.4f}"
    if road is not None and draw < 0.18:
        code = road if rnd.random() < 0.7 else road.replace("M", "М").replace("P", "Р")
        return rnd.choice(_ROAD_FORMS).format(road=code, name=_name(rnd, place))
    return _name(rnd, place)


def _seen_at(rnd: random.Random, moment: datetime) -> str:
    """The time as a person gives it: minutes, sometimes rounded, rarely an hour off."""
    moment = moment + timedelta(minutes=rnd.gauss(0, 8))
    if rnd.random() < 0.03:
        moment += timedelta(hours=rnd.choice((-1, 1)))
    draw = rnd.random()
    if draw < 0.25:
        step = rnd.choice((5, 15, 30))
        minutes = moment.hour * 60 + moment.minute
        rounded = round(minutes / step) * step
        moment = moment.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
            minutes=rounded
        )
    return moment.strftime("%Y-%m-%dT%H:%M")


def _count(rnd: random.Random, true_count: int) -> int | None:
    if rnd.random() < 0.08:
        return None
    estimate = max(1, round(true_count * math.exp(rnd.gauss(0, 0.25))))
    if estimate > 20 and rnd.random() < 0.5:
        step = 10 if estimate > 50 else 5
        estimate = max(step, round(estimate / step) * step)
    return estimate


def _direction(rnd: random.Random, true: Direction) -> str:
    draw = rnd.random()
    if draw < 0.08:
        return Direction.UNKNOWN.value
    if true in _OCTANTS and draw < 0.18:
        return _OCTANTS[(_OCTANTS.index(true) + rnd.choice((-1, 1))) % 8].value
    return true.value


# ---------------------------------------------------------------------------------------------
# The stream


@dataclass(frozen=True)
class SynthStreamConfig:
    reports: int
    seed: int = 1
    flood_share: float = 0.2  # of all reports
    duplicate_rate: float = 0.07  # of honest observers
    events_per_day: float = 40.0
    start: datetime = datetime(2025, 3, 1, 6, 0)


@dataclass(frozen=True)
class SynthEvent:
    """A true or staged event: where (the settlements on its route, in order) and when."""

    event_id: str
    kind: EventKind
    category: Category
    genuine: bool
    route: tuple[str, ...]
    road: str | None
    start: datetime
    end: datetime
    count: int


@dataclass(frozen=True)
class SynthReport:
    """A report and what only the generator knows: its event, the observer (an index within
    the event), where they really stood, when the event really passed and when they sent it."""

    report_id: str
    event_id: str
    genuine: bool
    report: Report
    observer: int
    settlement: str
    true_time: datetime
    sent_at: datetime
    duplicate: bool = False


@dataclass
class SynthStream:
    reports: list[SynthReport] = field(default_factory=list)
    events: list[SynthEvent] = field(default_factory=list)


@dataclass
class _Draft:
    event_id: str
    genuine: bool
    report: Report
    observer: int
    settlement: str
    true_time: datetime
    sent_at: datetime
    duplicate: bool = False


class Synthetic:
    """Draws events and their reports from one random stream."""

    def __init__(self, config: SynthStreamConfig, places: Places | None = None) -> None:
        self.config = config
        self.places = places or load_places()
        self.rnd = random.Random(config.seed)
        self.codes = sorted(self.places.settlements)
        self.road_codes = sorted(self.places.roads)
        self.rail_codes = sorted(self.places.rails)
        self.area_codes = sorted(self.places.areas)

    def _at(self, code: str) -> Settlement:
        return self.places.settlements[code]

    def _observers(self) -> int:
        return self.rnd.choices(range(1, 9), OBSERVERS)[0]

    def _stretch(self, line: tuple[str, ...]) -> tuple[str, ...]:
        """A stretch of at least two stops of `line`, in one of its two directions."""
        first = self.rnd.randrange(0, len(line) - 1)
        last = self.rnd.randrange(first + 1, len(line))
        stretch = line[first : last + 1]
        return stretch if self.rnd.random() < 0.5 else stretch[::-1]

    def _moving(
        self, event_id: str, kind: EventKind, line: str, stops: tuple[str, ...], start: datetime
    ) -> tuple[SynthEvent, list[_Draft]]:
        rnd = self.rnd
        speed = rnd.uniform(40, 70) if kind is EventKind.CONVOY else rnd.uniform(50, 90)
        at = [self._at(code) for code in stops]
        times = [start]
        for a, b in itertools.pairwise(at):
            times.append(times[-1] + timedelta(hours=_km(a, b) / speed))
        true_count = rnd.randint(*_TRUE_COUNT[kind])
        category = _CATEGORY[kind]
        event = SynthEvent(
            event_id, kind, category, True, stops, line, start, times[-1], true_count
        )
        road = line if kind is EventKind.CONVOY else None
        drafts = []
        for observer in range(self._observers()):
            i = rnd.randrange(len(stops))
            heading = _heading(at[i], at[i + 1]) if i + 1 < len(at) else _heading(at[i - 1], at[i])
            drafts.append(self._honest(event, observer, at[i], times[i], heading, true_count, road))
        return event, drafts

    def _stationary(
        self, event_id: str, kind: EventKind, start: datetime
    ) -> tuple[SynthEvent, list[_Draft]]:
        rnd = self.rnd
        true_count = rnd.randint(*_TRUE_COUNT[kind])
        hours = 14.0 if kind is EventKind.CHECKPOINT else rnd.uniform(1, 4)
        end = start + timedelta(hours=hours)
        if kind is EventKind.AIRCRAFT:
            area = self.places.areas[rnd.choice(self.area_codes)]
            end = start + timedelta(minutes=20)
            route = area
        else:
            route = (rnd.choice(self.codes),)
        event = SynthEvent(
            event_id, kind, _CATEGORY[kind], True, route, None, start, end, true_count
        )
        moving = kind in (EventKind.AIRCRAFT, EventKind.TROOPS)
        heading = rnd.choice(_OCTANTS) if moving else Direction.STATIONARY
        drafts = []
        for observer in range(self._observers()):
            place = self._at(rnd.choice(route))
            moment = start + (end - start) * rnd.random()
            drafts.append(self._honest(event, observer, place, moment, heading, true_count, None))
        return event, drafts

    def _honest(
        self,
        event: SynthEvent,
        observer: int,
        place: Settlement,
        moment: datetime,
        heading: Direction,
        true_count: int,
        road: str | None,
    ) -> _Draft:
        rnd = self.rnd
        count = _count(rnd, true_count)
        direction = _direction(rnd, heading)
        text = _text(rnd, event.category, count, direction) if rnd.random() < 0.95 else None
        report = Report(
            category=event.category.value,
            place=_place_text(rnd, place, road),
            seen_at=_seen_at(rnd, moment),
            count=count,
            direction=direction,
            text=text,
        )
        sent = moment + timedelta(minutes=1 + rnd.expovariate(1 / 20))
        return _Draft(event.event_id, True, report, observer, place.code, moment, sent)

    def _flood(self, event_id: str, start: datetime, size: int) -> tuple[SynthEvent, list[_Draft]]:
        rnd = self.rnd
        place = self._at(rnd.choice(self.codes))
        category = rnd.choice((Category.MILITARY_VEHICLES, Category.AIRCRAFT))
        claimed = (
            rnd.randint(50, 300) if category is Category.MILITARY_VEHICLES else rnd.randint(8, 30)
        )
        direction = rnd.choice(_OCTANTS).value
        place_text = _name(rnd, place)
        text = _text(rnd, category, claimed, direction, urgent=True)
        window = timedelta(minutes=rnd.uniform(2, 20))
        share = rnd.choice((" Распространите!", " Share!", " Падзяліцеся!"))
        event = SynthEvent(
            event_id, EventKind.FLOOD, category, False, (place.code,), None, start, start, claimed
        )
        drafts = []
        for observer in range(size):
            seen = start + timedelta(minutes=rnd.randint(-5, 5))
            count = claimed if rnd.random() < 0.7 else claimed + rnd.randint(-5, 5)
            words = text
            draw = rnd.random()
            if draw < 0.1:
                words = text.rstrip("!") + "!!!"
            elif draw < 0.2:
                words = text.lower()
            elif draw < 0.25:
                words = text + share
            report = Report(
                category=category.value,
                place=place_text if rnd.random() < 0.9 else place_text.lower(),
                seen_at=seen.strftime("%Y-%m-%dT%H:%M"),
                count=count,
                direction=direction,
                text=words,
            )
            sent = start + timedelta(minutes=2) + window * rnd.random()
            drafts.append(_Draft(event_id, False, report, observer, place.code, start, sent))
        return event, drafts

    def _duplicates(self, drafts: list[_Draft]) -> list[_Draft]:
        out: list[_Draft] = []
        for draft in drafts:
            out.append(draft)
            if draft.genuine and self.rnd.random() < self.config.duplicate_rate:
                again = timedelta(minutes=self.rnd.uniform(1, 15))
                out.append(
                    _Draft(
                        draft.event_id,
                        True,
                        draft.report,
                        draft.observer,
                        draft.settlement,
                        draft.true_time,
                        draft.sent_at + again,
                        duplicate=True,
                    )
                )
        return out

    def stream(self) -> SynthStream:
        """Events one after another until there are `config.reports` reports."""
        config, rnd = self.config, self.rnd
        kinds = list(_KIND_SHARES)
        weights = list(_KIND_SHARES.values())
        gap_hours = 24.0 / config.events_per_day
        moment = config.start
        events: list[SynthEvent] = []
        drafts: list[_Draft] = []
        flooded = 0
        while len(drafts) < config.reports:
            remaining = config.reports - len(drafts)
            moment += timedelta(hours=rnd.expovariate(1 / gap_hours))
            event_id = f"e{len(events) + 1:06d}"
            if remaining >= 20 and flooded < config.flood_share * len(drafts):
                size = min(remaining, rnd.randint(20, 200))
                event, new = self._flood(event_id, moment, size)
                flooded += len(new)
            else:
                kind = rnd.choices(kinds, weights)[0]
                if kind is EventKind.CONVOY:
                    line = rnd.choice(self.road_codes)
                    stops = self._stretch(self.places.roads[line])
                    event, new = self._moving(event_id, kind, line, stops, moment)
                elif kind is EventKind.TRAIN:
                    line = rnd.choice(self.rail_codes)
                    stops = self._stretch(self.places.rails[line])
                    event, new = self._moving(event_id, kind, line, stops, moment)
                else:
                    event, new = self._stationary(event_id, kind, moment)
                new = self._duplicates(new)[:remaining]
            events.append(event)
            drafts.extend(new)
        drafts.sort(key=lambda d: (d.sent_at, d.event_id, d.observer, d.duplicate))
        width = max(6, len(str(len(drafts))))
        reports = [
            SynthReport(
                report_id=f"r{i + 1:0{width}d}",
                event_id=d.event_id,
                genuine=d.genuine,
                report=d.report,
                observer=d.observer,
                settlement=d.settlement,
                true_time=d.true_time,
                sent_at=d.sent_at,
                duplicate=d.duplicate,
            )
            for i, d in enumerate(drafts)
        ]
        return SynthStream(reports, events)


def generate_stream(config: SynthStreamConfig) -> SynthStream:
    """The reports (in the order sent) and events of a synthetic stream."""
    return Synthetic(config).stream()


_API_KEYS = ("category", "place", "seen_at", "count", "direction", "text", "photo")


def _json_line(item: SynthReport) -> str:
    record: dict[str, object] = {"report_id": item.report_id}
    for key in _API_KEYS:
        value = getattr(item.report, key)
        if value is not None:
            record[key] = value
    return json.dumps(record, ensure_ascii=False)


@dataclass(frozen=True)
class StreamSummary:
    reports: int
    events: int
    floods: int
    flood_reports: int
    duplicates: int
    first: datetime
    last: datetime


def write_stream(config: SynthStreamConfig, out: Path) -> StreamSummary:
    """Write `out/reports.jsonl`, `out/truth/reports.csv` and `out/truth/events.csv`."""
    stream = generate_stream(config)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    lines = [_json_line(item) for item in stream.reports]
    (out / "reports.jsonl").write_text("\n".join(lines) + "\n" if lines else "", "utf-8")
    truth = io.StringIO()
    writer = csv.writer(truth, lineterminator="\n")
    writer.writerow(("report_id", "event_id", "genuine"))
    writer.writerows((r.report_id, r.event_id, int(r.genuine)) for r in stream.reports)
    (out / "truth" / "reports.csv").write_text(truth.getvalue(), "utf-8")
    events = io.StringIO()
    writer = csv.writer(events, lineterminator="\n")
    writer.writerow(
        ("event_id", "genuine", "kind", "category", "line", "route", "start", "end", "count")
    )
    writer.writerows(
        (
            e.event_id,
            int(e.genuine),
            e.kind.value,
            e.category.value,
            e.road or "",
            ";".join(e.route),
            e.start.isoformat(timespec="minutes"),
            e.end.isoformat(timespec="minutes"),
            e.count,
        )
        for e in stream.events
    )
    (out / "truth" / "events.csv").write_text(events.getvalue(), "utf-8")
    floods = [e for e in stream.events if not e.genuine]
    return StreamSummary(
        reports=len(stream.reports),
        events=len(stream.events),
        floods=len(floods),
        flood_reports=sum(not r.genuine for r in stream.reports),
        duplicates=sum(r.duplicate for r in stream.reports),
        first=stream.reports[0].sent_at if stream.reports else config.start,
        last=stream.reports[-1].sent_at if stream.reports else config.start,
    )
