"""Places of Belarus: regions, settlements and streets (data in `data/`, see SOURCES.md)."""

__all__: list[str] = []
