"""Bar charts as SVG, drawn by the server (no script, no chart library, no CDN).

Every chart is ``role="img"`` with a title and a description that points to
the table beside it, which holds the same numbers. Numbers below k are no
bars: their label says "< 5" (or "verborgen"). Colours keep at least 4.5:1
against white; every bar is also labelled with its number, so colour never
carries the meaning alone. Pure: strings in, a string out.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["bars", "columns"]

#: Dark blue, dark orange, dark green, purple: distinguishable, each >= 4.5:1 on white.
COLOURS = ("#00457c", "#a14a00", "#1d6b2a", "#6b2d8c")
_FONT = 'font-family="Verdana, DejaVu Sans, Arial, sans-serif"'

Value = int | str


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _frame(ident: str, title: str, width: int, height: int, body: list[str]) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'aria-labelledby="{ident}-title {ident}-desc">',
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">Die Zahlen stehen auch in der Tabelle daneben.</desc>',
            *body,
            "</svg>",
        ]
    )


def bars(ident: str, title: str, items: Sequence[tuple[str, Value]], *, width: int = 560) -> str:
    """Horizontal bars, one per ``(label, value)``, largest scale first."""
    label_width, row, top = 230, 26, 8
    numbers = [v for _, v in items if isinstance(v, int)]
    top_value = max(numbers, default=0) or 1
    room = width - label_width - 70
    body = []
    for i, (label, value) in enumerate(items):
        y = top + i * row
        short = label if len(label) <= 34 else label[:33] + "…"
        body.append(
            f'<text x="{label_width - 6}" y="{y + 17}" text-anchor="end" font-size="13" '
            f'fill="#111" {_FONT}>{escape(short)}</text>'
        )
        if isinstance(value, int):
            length = max(1, round(room * value / top_value)) if value else 0
            body.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{length}" height="{row - 8}" '
                f'fill="{COLOURS[0]}"/>'
            )
            text, x = str(value), label_width + length + 6
        else:
            text, x = value, label_width + 6
        body.append(
            f'<text x="{x}" y="{y + 17}" font-size="13" fill="#111" {_FONT}>{escape(text)}</text>'
        )
    height = top * 2 + row * max(len(items), 1)
    if not items:
        body.append(
            f'<text x="8" y="26" font-size="13" fill="#111" {_FONT}>'
            "Noch keine Zahlen ab 5 Gesprächen.</text>"
        )
    return _frame(ident, title, width, height, body)


def columns(
    ident: str,
    title: str,
    weeks: Sequence[str],
    series: Sequence[tuple[str, dict[str, Value]]],
    *,
    height: int = 220,
) -> str:
    """Grouped columns per week, one colour per series, with a legend above."""
    left, bottom, legend = 44, 40, 24
    group = max(22, 12 * len(series) + 10)
    width = left + group * max(len(weeks), 1) + 16
    plot = height - bottom - legend
    numbers = [v for _, by_week in series for v in by_week.values() if isinstance(v, int)]
    top_value = max(numbers, default=0) or 1
    body = []
    x = left
    for i, (name, _) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        body.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>')
        body.append(
            f'<text x="{x + 16}" y="17" font-size="12" fill="#111" {_FONT}>{escape(name)}</text>'
        )
        x += 16 + 8 * len(name) + 16
    width = max(width, x)
    base = legend + plot
    body.append(
        f'<line x1="{left}" y1="{base}" x2="{width - 8}" y2="{base}" stroke="#333" '
        'stroke-width="1"/>'
    )
    body.append(
        f'<text x="{left - 6}" y="{legend + 10}" text-anchor="end" font-size="11" fill="#111" '
        f"{_FONT}>{top_value}</text>"
    )
    for w, week in enumerate(weeks):
        gx = left + w * group + 5
        for s, (_, by_week) in enumerate(series):
            value = by_week.get(week, 0)
            bx = gx + s * 12
            if isinstance(value, int) and value:
                h = max(1, round(plot * value / top_value))
                body.append(
                    f'<rect x="{bx}" y="{base - h}" width="10" height="{h}" '
                    f'fill="{COLOURS[s % len(COLOURS)]}">'
                    f"<title>{escape(week)}: {value}</title></rect>"
                )
            elif isinstance(value, str):
                body.append(
                    f'<text x="{bx + 5}" y="{base - 4}" text-anchor="middle" font-size="9" '
                    f'fill="#111" {_FONT}>•</text>'
                )
        body.append(
            f'<text x="{gx}" y="{base + 16}" font-size="11" fill="#111" {_FONT}>'
            f"{escape(week[-3:])}</text>"
        )
    body.append(
        f'<text x="{left}" y="{height - 4}" font-size="11" fill="#111" {_FONT}>'
        "• = weniger als 5 oder verborgen; Kalender·woche unten</text>"
    )
    return _frame(ident, title, width, height, body)
