"""Charts drawn on the server as SVG: no JavaScript, no CDN, readable when printed or zoomed.

Each chart is an image with a title and a description for screen readers (`role="img"`), and
every page that shows one also shows its numbers in a table beside it, so nothing is told by
the picture alone. Values are written on the bars too: the colours carry no meaning by themselves.
"""

from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from django.utils.html import format_html, format_html_join

BAR, TEXT, GRID = "#0b5cad", "#1b1f24", "#c9ced6"
_ids = count(1)


@dataclass(frozen=True)
class Point:
    label: str
    value: float | int | Decimal
    shown: str = ""  # the value as written on the chart (formatted money, days…); default str(value)

    @property
    def text(self) -> str:
        return self.shown or f"{self.value:,}"


def bars(points: list[Point], *, title: str, description: str = "") -> str:
    """Horizontal bars, one row each: for categories (statuses, types)."""
    label_width, bar_width, row = 190, 300, 30
    height = max(1, len(points)) * row + 10
    top = max((float(p.value) for p in points), default=0) or 1
    rows = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"/>'
        '<text x="{}" y="{}" dominant-baseline="middle">{}</text>',
        (
            (
                label_width - 8,
                10 + i * row + row / 2,
                point.label,
                label_width,
                10 + i * row + 5,
                round(bar_width * float(point.value) / top, 1),
                row - 10,
                BAR,
                label_width + round(bar_width * float(point.value) / top, 1) + 6,
                10 + i * row + row / 2,
                point.text,
            )
            for i, point in enumerate(points)
        ),
    )
    return _svg(label_width + bar_width + 90, height, rows, title, description)


def columns(points: list[Point], *, title: str, description: str = "") -> str:
    """Vertical columns left to right: for a series in time (weeks, months)."""
    left, plot_height, width_each, bottom = 10, 160, 46, 48
    width = left * 2 + max(1, len(points)) * width_each
    top = max((float(p.value) for p in points), default=0) or 1
    baseline = 20 + plot_height
    cells = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
        (
            (
                left + i * width_each + 6,
                baseline - round(plot_height * float(point.value) / top, 1),
                width_each - 12,
                round(plot_height * float(point.value) / top, 1),
                BAR,
                left + i * width_each + width_each / 2,
                baseline - round(plot_height * float(point.value) / top, 1) - 4,
                point.text,
                left + i * width_each + width_each / 2,
                baseline + 16,
                point.label,
            )
            for i, point in enumerate(points)
        ),
    )
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', left, baseline, width - left, baseline, GRID
    )
    return _svg(width, baseline + bottom - 20, axis + cells, title, description)


def _svg(width, height, body, title: str, description: str) -> str:
    number = next(_ids)
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img"'
        ' aria-labelledby="chart{n}-title chart{n}-desc" font-family="system-ui, sans-serif" font-size="13"'
        ' fill="{ink}" preserveAspectRatio="xMinYMin meet">'
        '<title id="chart{n}-title">{title}</title><desc id="chart{n}-desc">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        n=number,
        ink=TEXT,
        title=title,
        desc=description or title,
        body=body,
    )
