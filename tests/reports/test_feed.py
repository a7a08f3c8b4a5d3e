"""The published feed: the offline map, the page, Atom and JSON; what is never published."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import itertools
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from importlib import resources

import pytest

from bonafide.reports import feed
from bonafide.reports.basemap import Basemap, Ring
from bonafide.reports.feed import (
    GRADES,
    FeedEvent,
    FeedPaths,
    FeedStatus,
    render_atom,
    render_html,
    render_json,
)
from bonafide.reports.gazetteer import Gazetteer

ATOM = "{http://www.w3.org/2005/Atom}"
NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
HOSTILE = "<script>alert(\"x\")</script> 'q' ]]> &amp; </title>"
# a tiny JPEG is not needed: the feed publishes the reviewer's base64 as it is
PHOTO = base64.b64encode(b"\xff\xd8\xff\xe0 not really a jpeg \xff\xd9").decode("ascii")


def _event(**changes: object) -> FeedEvent:
    base = FeedEvent(
        event_id="tok-minsk",
        category="military_vehicles",
        status=FeedStatus.PUBLISHED,
        place="Minsk",
        place_be="Мінск",
        place_ru="Минск",
        lat=53.90019,
        lon=27.56653,
        first_seen=NOW - dt.timedelta(hours=2),
        last_seen=NOW - dt.timedelta(hours=1, minutes=30),
        count=40,
        direction="NE",
        reports=5,
        independent=3,
        grade=2,
        published_at=NOW - dt.timedelta(hours=1),
        updated_at=NOW - dt.timedelta(minutes=50),
        text=None,
        photo=None,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _at(name: str, event_id: str, **changes: object) -> FeedEvent:
    place = Gazetteer.load().find(name, limit=1)[0]
    return _event(event_id=event_id, place=place.name, lat=place.lat, lon=place.lon, **changes)


_CIRCLE = re.compile(
    r'<a href="#event-(?P<id>[^"]+)"><circle class="mark[^"]*" cx="(?P<x>[\d.-]+)" '
    r'cy="(?P<y>[\d.-]+)" r="(?P<r>[\d.]+)"'
)
_VIEWBOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')


def _marks(page: str) -> dict[str, tuple[float, float, float]]:
    return {m["id"]: (float(m["x"]), float(m["y"]), float(m["r"])) for m in _CIRCLE.finditer(page)}


def _viewbox(page: str) -> tuple[float, float]:
    found = _VIEWBOX.search(page)
    assert found is not None
    return float(found[1]), float(found[2])


def test_public_api() -> None:
    assert feed.__all__ == [
        "GRADES",
        "FeedEvent",
        "FeedPaths",
        "FeedStatus",
        "render_atom",
        "render_html",
        "render_json",
    ]


def test_feed_event_fields() -> None:
    # the events engine builds these: a change here is a change of the contract
    assert [f.name for f in dataclasses.fields(FeedEvent)] == [
        "event_id",
        "category",
        "status",
        "place",
        "place_be",
        "place_ru",
        "lat",
        "lon",
        "first_seen",
        "last_seen",
        "count",
        "direction",
        "reports",
        "independent",
        "grade",
        "published_at",
        "updated_at",
        "text",
        "photo",
    ]


# --- the map ---------------------------------------------------------------------------


def _inside(lat: float, lon: float, ring: Ring) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_outline_is_belarus() -> None:
    basemap = Basemap.load()
    south, west, north, east = basemap.bounds("BY")
    assert 51.1 < south < 51.35
    assert 56.05 < north < 56.3
    assert 23.0 < west < 23.3
    assert 32.6 < east < 32.9
    assert basemap.contains(south, west)
    assert basemap.contains(north, east)
    assert {c.iso for c in basemap.countries} == {"BY", "LT", "LV", "PL", "RU", "UA"}
    assert [c.name for c in basemap.cities] == [
        "Minsk",
        "Brest",
        "Hrodna",
        "Viciebsk",
        "Mahilioŭ",
        "Homieĺ",
    ]
    (belarus,) = (c for c in basemap.countries if c.iso == "BY")
    places = [p for p in Gazetteer.load().places if p.country == "BY"]
    outside = [p.name for p in places if not any(_inside(p.lat, p.lon, r) for r in belarus.rings)]
    assert len(outside) <= len(places) // 100, outside  # the simplified border is ~0.5 km off
    neighbours = [p for p in Gazetteer.load().places if p.country in ("PL", "LT", "UA")]
    wrong = [p for p in neighbours if any(_inside(p.lat, p.lon, r) for r in belarus.rings)]
    assert len(wrong) <= len(neighbours) // 100


def test_basemap_source_and_licence_documented() -> None:
    data = resources.files("bonafide.reports").joinpath("data")
    sources = data.joinpath("SOURCES.md").read_text("utf-8")
    assert "Natural Earth" in sources
    assert "public domain" in sources
    assert "tools/basemap_data.py" in sources
    assert "Natural Earth" in Basemap.load().source


def test_every_belarusian_place_is_drawn_inside_the_map() -> None:
    places = [p for p in Gazetteer.load().places if p.country == "BY"]
    events = [
        _event(event_id=f"p{p.geonameid}", place=p.name, lat=p.lat, lon=p.lon) for p in places
    ]
    page = render_html(events, NOW)
    width, height = _viewbox(page)
    marks = _marks(page)
    assert len(marks) == len(places)
    for x, y, r in marks.values():
        assert r <= x <= width - r
        assert r <= y <= height - r


def test_marks_stand_where_the_places_are() -> None:
    events = [
        _at("Minsk", "minsk"),
        _at("Brest", "brest"),
        _at("Віцебск", "viciebsk"),
        _at("Гомель", "homiel"),
        _at("Hrodna", "hrodna"),
    ]
    marks = _marks(render_html(events, NOW))
    assert marks["brest"][0] < marks["minsk"][0]  # west
    assert marks["hrodna"][0] < marks["minsk"][0]
    assert marks["brest"][1] > marks["hrodna"][1]
    assert marks["viciebsk"][1] < marks["homiel"][1]  # north (y grows southwards)
    assert marks["viciebsk"][1] < marks["minsk"][1] < marks["homiel"][1]


def test_a_mark_grows_with_corroboration_and_shows_review() -> None:
    page = render_html(
        [
            _event(event_id="one", independent=1, grade=None),
            _event(event_id="many", independent=6),
        ],
        NOW,
    )
    marks = _marks(page)
    assert marks["one"][2] < marks["many"][2]
    assert re.search(r'href="#event-one"><circle class="mark unreviewed"', page)
    assert re.search(r'href="#event-many"><circle class="mark"', page)


def test_a_place_outside_the_frame_is_listed_not_drawn() -> None:
    kyiv = _event(event_id="kyiv", place="Kyiv", place_be="", place_ru="", lat=50.45, lon=30.52)
    page = render_html([kyiv], NOW)
    assert "kyiv" not in _marks(page)
    assert 'id="event-kyiv"' in page
    assert "outside the map" in page


# --- what is published -----------------------------------------------------------------


def test_retracted_event_is_listed_not_drawn() -> None:
    gone = _event(
        event_id="gone",
        status=FeedStatus.RETRACTED,
        updated_at=NOW - dt.timedelta(minutes=5),
        text="the reviewer once published this",
        photo=PHOTO,
    )
    kept = _event(event_id="kept", last_seen=NOW - dt.timedelta(hours=3))
    page = render_html([gone, kept], NOW)
    assert set(_marks(page)) == {"kept"}
    assert '<article id="event-gone" class="retracted">' in page
    assert "<h3>Retracted: Military vehicles at Minsk</h3>" in page
    assert "It is not on the map" in page
    assert "once published" not in page
    assert PHOTO not in page

    entries = ET.fromstring(render_atom([gone, kept], NOW)).findall(f"{ATOM}entry")
    gone_entry = entries[0]
    assert gone_entry.findtext(f"{ATOM}title") == "Retracted: Military vehicles at Minsk"
    assert gone_entry.findtext(f"{ATOM}updated") == "2026-12-04T11:55:00Z"
    assert (gone_entry.findtext(f"{ATOM}summary") or "").startswith("Retracted ")
    assert gone_entry.find(f"{ATOM}content") is None

    (gone_json, _) = render_json([gone, kept], NOW)["events"]
    assert gone_json["status"] == "retracted"
    assert gone_json["text"] is None
    assert gone_json["photo"] is None


def test_text_and_photo_only_when_the_reviewer_publishes_them() -> None:
    bare = _event(event_id="bare")
    page = render_html([bare], NOW)
    assert "<blockquote>" not in page
    assert "<img" not in page
    atom = ET.fromstring(render_atom([bare], NOW))
    assert atom.find(f"{ATOM}entry/{ATOM}content") is None
    assert render_json([bare], NOW)["events"][0]["text"] is None

    told = _event(event_id="told", text="Колонна БТР на М1", photo=PHOTO)
    page = render_html([told], NOW)
    assert "<blockquote>Колонна БТР на М1</blockquote>" in page
    assert f'src="data:image/jpeg;base64,{PHOTO}"' in page
    content = ET.fromstring(render_atom([told], NOW)).findtext(f"{ATOM}entry/{ATOM}content")
    assert content is not None
    assert "Колонна БТР на М1" in content
    assert PHOTO in content
    data = render_json([told], NOW)["events"][0]
    assert (data["text"], data["photo"]) == ("Колонна БТР на М1", PHOTO)


@pytest.mark.parametrize(
    ("grade", "words"),
    [
        (None, "not yet reviewed"),
        *((g, f"reviewed: {m} (information graded {g} of 6)") for g, m in GRADES.items()),
    ],
)
def test_grade_in_words(grade: int | None, words: str) -> None:
    event = _event(grade=grade)
    assert words in render_html([event], NOW)
    summary = ET.fromstring(render_atom([event], NOW)).findtext(f"{ATOM}entry/{ATOM}summary")
    assert words.capitalize() in (summary or "")
    meaning = render_json([event], NOW)["events"][0]["grade_meaning"]
    assert meaning == (GRADES[grade] if grade else None)


@pytest.mark.parametrize(
    ("reports", "independent", "words"),
    [
        (5, 3, "corroborated by 3 independent reports (5 reports in all)"),
        (2, 2, "corroborated by 2 independent reports"),
        (1, 1, "not corroborated: no second independent report"),
        (30, 1, "not corroborated: no second independent report (30 reports in all)"),
    ],
)
def test_corroboration_in_words(reports: int, independent: int, words: str) -> None:
    page = render_html([_event(reports=reports, independent=independent)], NOW)
    assert f"<dd>{words};" in page


def test_facts_in_words() -> None:
    page = render_html([_event()], NOW)
    assert "<dd>Minsk (Мінск, Минск)</dd>" in page
    assert "4 Dec 2026, 13:00–13:30 Minsk time" in page  # 10:00–10:30 UTC
    assert "<dd>about 40 seen</dd>" in page
    assert "<dd>moving north-east</dd>" in page
    stationary = render_html([_event(direction="stationary", count=None)], NOW)
    assert "<dd>stationary</dd>" in stationary
    assert "How many" not in stationary
    assert "Direction" not in render_html([_event(direction="unknown")], NOW)


def test_newest_first_everywhere() -> None:
    old = _event(event_id="old", last_seen=NOW - dt.timedelta(hours=5))
    new = _event(event_id="new", last_seen=NOW - dt.timedelta(minutes=10))
    page = render_html([old, new], NOW)
    assert page.index('id="event-new"') < page.index('id="event-old"')
    assert [e["event_id"] for e in render_json([old, new], NOW)["events"]] == ["new", "old"]
    links = [
        e.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
        for e in ET.fromstring(render_atom([old, new], NOW)).findall(f"{ATOM}entry")
    ]
    assert links == ["/feed#event-new", "/feed#event-old"]


# --- escaping --------------------------------------------------------------------------


def _hostile() -> FeedEvent:
    return _event(
        event_id='x"><script>',
        category=HOSTILE,
        place=HOSTILE,
        place_be="</svg><img src=x>",
        place_ru="]]>",
        text=HOSTILE + "\x00\x0b\ufffe",
    )


def test_hostile_text_is_escaped_in_the_page() -> None:
    page = render_html([_hostile()], NOW)
    assert "<script" not in page.lower()
    assert page.count("</title>") == 3  # the page's, the map's and the one mark's
    assert "<img src=x>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &#39;q&#39; ]]&gt; &amp;amp;" in page


def test_hostile_text_survives_atom_as_text() -> None:
    root = ET.fromstring(render_atom([_hostile()], NOW))  # parses: nothing broke the XML
    entry = root.find(f"{ATOM}entry")
    assert entry is not None
    title = entry.findtext(f"{ATOM}title") or ""
    assert title == f"{HOSTILE.capitalize()} at {HOSTILE}"
    content = entry.findtext(f"{ATOM}content") or ""
    assert "<script" not in content  # the HTML inside the entry is escaped too
    assert "&lt;script&gt;" in content
    assert "\x00" not in content
    (category,) = entry.findall(f"{ATOM}category")
    assert category.get("term") == HOSTILE


def test_hostile_text_round_trips_in_json() -> None:
    document = render_json([_hostile()], NOW)
    again = json.loads(json.dumps(document))
    assert again == document
    assert again["events"][0]["text"] == HOSTILE + "\x00\x0b\ufffe"
    assert again["events"][0]["place"]["ru"] == "]]>"


# --- nothing from outside --------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v or "" for k, v in attrs if k in ("src", "href", "action", "poster")]


def test_page_loads_nothing_from_anywhere() -> None:
    events = [
        _event(event_id="a", text="see http://example.org", photo=PHOTO),
        _event(event_id="b", status=FeedStatus.RETRACTED),
        _hostile(),
    ]
    page = render_html(events, NOW)
    without_text = page.replace("see http://example.org", "")
    assert not re.search(r"https?:", without_text)
    assert not re.search(
        r"""(?:src|href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:(?!image/)|//)""", page
    )
    assert not re.search(r"url\(", page)
    assert "<script" not in page.lower()
    assert "@import" not in page
    parser = _Links()
    parser.feed(page)
    assert parser.links
    for link in parser.links:
        assert link.startswith(("#", "data:image/jpeg;base64,")) or (
            link.startswith("/") and not link.startswith("//")
        ), link
    assert '<meta http-equiv="refresh" content="60">' in page


# --- the formats -----------------------------------------------------------------------


def test_atom_has_what_atom_requires() -> None:
    root = ET.fromstring(render_atom([_event(), _event(event_id="two")], NOW, base_path="/f"))
    assert root.tag == f"{ATOM}feed"
    feed_id = root.findtext(f"{ATOM}id") or ""
    assert feed_id.startswith("urn:uuid:")
    assert root.findtext(f"{ATOM}title")
    assert root.findtext(f"{ATOM}author/{ATOM}name")
    assert root.findtext(f"{ATOM}updated") == "2026-12-04T11:10:00Z"  # the latest entry's
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {"self": "/f/atom.xml", "alternate": "/f"}
    entries = root.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") or "" for e in entries]
    assert len(set(ids)) == 2
    assert all(i.startswith("urn:uuid:") for i in ids)
    for entry in entries:
        for element in ("id", "title", "updated", "published", "summary"):
            assert entry.findtext(f"{ATOM}{element}"), element
    again = ET.fromstring(render_atom([_event()], NOW + dt.timedelta(hours=1)))
    assert again.findtext(f"{ATOM}entry/{ATOM}id") in ids  # an entry keeps its id


def test_empty_feed() -> None:
    assert "No events have been published yet." in render_html([], NOW)
    root = ET.fromstring(render_atom([], NOW))
    assert root.findtext(f"{ATOM}updated") == "2026-12-04T12:00:00Z"
    assert root.findall(f"{ATOM}entry") == []
    assert render_json([], NOW) == {
        "version": 1,
        "generated_at": "2026-12-04T12:00:00Z",
        "events": [],
    }


def test_json_shape() -> None:
    (event,) = render_json([_event()], NOW)["events"]
    assert event == {
        "event_id": "tok-minsk",
        "status": "published",
        "category": "military_vehicles",
        "place": {"name": "Minsk", "be": "Мінск", "ru": "Минск", "lat": 53.90019, "lon": 27.56653},
        "first_seen": "2026-12-04T10:00:00Z",
        "last_seen": "2026-12-04T10:30:00Z",
        "count": 40,
        "direction": "NE",
        "reports": 5,
        "independent": 3,
        "grade": 2,
        "grade_meaning": "probably true",
        "published_at": "2026-12-04T11:00:00Z",
        "updated_at": "2026-12-04T11:10:00Z",
        "text": None,
        "photo": None,
    }


def test_times_in_other_zones_are_written_in_utc() -> None:
    minsk = dt.timezone(dt.timedelta(hours=3))
    event = _event(first_seen=dt.datetime(2026, 12, 4, 13, 0, tzinfo=minsk))
    assert render_json([event], NOW)["events"][0]["first_seen"] == "2026-12-04T10:00:00Z"


def test_configured_category_has_a_colour_and_a_legend_entry() -> None:
    page = render_html([_event(category="drones")], NOW)
    assert 'fill="#7f7f7f"' in page
    assert "</span>Drones</li>" in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_seen": dt.datetime(2026, 12, 4, 10, 0)}, "first_seen"),
        ({"updated_at": dt.datetime(2026, 12, 4, 10, 0)}, "updated_at"),
        ({"grade": 7}, "grade"),
        ({"grade": 0}, "grade"),
        ({"lat": 91.0}, "lat"),
        ({"independent": -1}, "independent"),
        ({"photo": "not base64!"}, "photo"),
        ({"status": "hidden"}, "status"),
    ],
)
def test_bad_event_names_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        _event(**changes)


def test_paths() -> None:
    assert FeedPaths.under("/feed/") == FeedPaths("/feed", "/feed/atom.xml", "/feed/events.json")
    assert FeedPaths.under("").page == "/"
