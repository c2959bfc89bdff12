"""Charts drawn on the server as SVG: no JavaScript, no CDN, readable when printed or zoomed.

Each chart is an image with a title and a description for screen readers (`role="img"`), and
every page that shows one also shows its numbers in a table beside it, so nothing is told by
the picture alone. Values are written on the bars too: the colours carry no meaning by themselves.
"""

from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from django.utils.html import format_html, format_html_join

BAR, TEXT = "#0b5cad", "#1b1f24"
_ids = count(1)


@dataclass(frozen=True)
class Point:
    label: str
    value: float | int | Decimal
    shown: str = ""  # the value as written on the chart (formatted money, days…); default str(value)

    @property
    def text(self) -> str:
        return self.shown or f"{self.value:,}"


def _text_width(text: str, size: int) -> int:
    """About how wide a text is drawn: CJK characters are square, Latin ones about half."""
    return round(sum(size if ord(char) > 0x2E80 else size * 0.6 for char in text))


def bars(points: list[Point], *, title: str, description: str = "") -> str:
    """Horizontal bars, one row each, top to bottom: for categories and for series in time
    alike. Rows grow downwards, so labels never run into each other, and the drawing is
    only as wide as its longest label and value: on a 360 px phone it keeps readable text."""
    size, row, bar_width = 14, 32, 180
    label_width = max((_text_width(p.label, size) for p in points), default=0) + 12
    value_width = max((_text_width(p.text, size) for p in points), default=0) + 12
    height = max(1, len(points)) * row + 8
    top = max((float(p.value) for p in points), default=0) or 1
    rows = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"/>'
        '<text x="{}" y="{}" dominant-baseline="middle">{}</text>',
        (
            (
                label_width - 8,
                4 + i * row + row / 2,
                point.label,
                label_width,
                4 + i * row + 6,
                round(bar_width * float(point.value) / top, 1),
                row - 12,
                BAR,
                label_width + round(bar_width * float(point.value) / top, 1) + 6,
                4 + i * row + row / 2,
                point.text,
            )
            for i, point in enumerate(points)
        ),
    )
    return _svg(label_width + bar_width + value_width, height, rows, title, description, size)


def _svg(width, height, body, title: str, description: str, size: int) -> str:
    # Drawn at its natural size and shrunk by CSS (max-width: 100%) only where the page is narrower.
    number = next(_ids)
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img"'
        ' aria-labelledby="chart{n}-title chart{n}-desc" font-family="system-ui, sans-serif" font-size="{size}"'
        ' fill="{ink}">'
        '<title id="chart{n}-title">{title}</title><desc id="chart{n}-desc">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        n=number,
        size=size,
        ink=TEXT,
        title=title,
        desc=description or title,
        body=body,
    )
