"""A sighting report as it arrives (the API's JSON keys), and the categories of what is seen."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["DEFAULT_CATEGORIES", "Category", "Direction", "Report"]


class Category(StrEnum):
    MILITARY_VEHICLES = "military_vehicles"
    AIRCRAFT = "aircraft"
    RAIL_TRANSPORT = "rail_transport"
    TROOPS_ON_FOOT = "troops_on_foot"
    CHECKPOINT = "checkpoint"  # a checkpoint or roadblock
    OTHER = "other"


DEFAULT_CATEGORIES = tuple(Category)


class Direction(StrEnum):
    N = "N"
    NE = "NE"
    E = "E"
    SE = "SE"
    S = "S"
    SW = "SW"
    W = "W"
    NW = "NW"
    STATIONARY = "stationary"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Report:
    """One report as sent: `place` is a settlement's name in any script, a road, or
    coordinates ("53.90, 27.56"); `seen_at` ISO date-time as the reporter gives it; `photo`
    base64 bytes of an image, if any. Nothing about who sent it: there is no field for it."""

    category: str
    place: str
    seen_at: str
    count: int | None = None
    direction: str | None = None
    text: str | None = None
    photo: str | None = None
