"""The dashboard's SVG bars: escaped text, a drawing as wide as its labels, no error on zeros."""

import re

from common.charts import Point, bars


def _width(svg: str) -> int:
    return int(re.search(r'viewBox="0 0 (\d+) ', svg)[1])


def test_labels_and_titles_are_escaped():
    svg = bars([Point("<script>x</script>", 3)], title='"&<b>')
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "<title" in svg
    assert "&amp;&lt;b&gt;" in svg


def test_the_drawing_is_as_wide_as_its_longest_label():
    short = bars([Point("01", 1)], title="t")
    long = bars([Point("已提交，待审核", 1)], title="t")
    assert _width(long) > _width(short)
    assert _width(long) <= 360  # a phone shows it at about its natural size


def test_all_zero_values_draw_empty_bars():
    svg = bars([Point("a", 0), Point("b", 0)], title="t")
    assert svg.count('width="0.0"') == 2


def test_rows_never_overlap():
    svg = bars([Point(f"2026-{m:02}", m * 1000) for m in range(1, 13)], title="t")
    ys = [float(y) for y in re.findall(r'<text x="\d+" y="([\d.]+)" text-anchor="end"', svg)]
    assert all(b - a >= 14 for a, b in zip(ys, ys[1:], strict=False))
