"""The identity's match-weight waterfall, drawn on the server as SVG (no script needed).

Each bar starts where the running total stands and moves by the step's weight: the prior, then
each compared field (its term-frequency adjustment shown in its label), then the total. Bars
that raise the total are green, those that lower it red.
"""

from __future__ import annotations

from html import escape
from typing import Any

__all__ = ["waterfall_svg"]

_ROW = 22
_LABEL = 190
_WIDTH = 360


def waterfall_svg(explanation: dict[str, Any], title: str) -> str:
    steps = list(explanation.get("steps", []))
    total = float(explanation.get("match_weight", sum(float(s["weight"]) for s in steps)))
    running, bars = 0.0, []
    for step in steps:
        weight = float(step["weight"])
        bars.append((step, running, running + weight))
        running += weight
    ends = [0.0, total] + [v for _, a, b in bars for v in (a, b)]
    low, high = min(ends), max(ends)
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return _LABEL + (value - low) / span * _WIDTH

    height = _ROW * (len(bars) + 2)
    parts = [
        f'<svg data-testid="waterfall" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{_LABEL + _WIDTH + 70}" height="{height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{x(0):.1f}" y1="0" x2="{x(0):.1f}" y2="{height}" stroke="#888" '
        'stroke-dasharray="2,2"/>',
    ]
    for row, (step, start, end) in enumerate(bars):
        y = row * _ROW + 4
        left, right = sorted((x(start), x(end)))
        colour = "#2e7d32" if end >= start else "#c62828"
        label = str(step.get("part", ""))
        if step.get("level"):
            label += f" ({step['level']})"
        adjustment = float(step.get("term_frequency_adjustment") or 0.0)
        if adjustment:
            label += f" tf {adjustment:+.1f}"
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="12">{escape(label[:32])}</text>'
            f'<rect x="{left:.1f}" y="{y}" width="{max(right - left, 1):.1f}" height="{_ROW - 8}" '
            f'fill="{colour}"><title>{escape(label)}: {float(step["weight"]):+.2f}</title></rect>'
            f'<text x="{max(left, right) + 4:.1f}" y="{y + 13}" font-size="11">'
            f"{float(step['weight']):+.2f}</text>"
        )
    y = len(bars) * _ROW + 4
    left, right = sorted((x(0), x(total)))
    parts.append(
        f'<text x="0" y="{y + 13}" font-size="12" font-weight="bold">total</text>'
        f'<rect x="{left:.1f}" y="{y}" width="{max(right - left, 1):.1f}" height="{_ROW - 8}" '
        f'fill="#1565c0"/><text x="{right + 4:.1f}" y="{y + 13}" font-size="11" '
        f'font-weight="bold">{total:+.2f}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
