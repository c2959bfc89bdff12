"""Template source checks: a {# #} comment ends on its own line, else Django prints it to the page."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_one_line_comment_runs_over_a_line_break():
    broken = []
    for path in TEMPLATES.rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            start = line.rfind("{#")
            if start != -1 and "#}" not in line[start:]:
                broken.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert broken == [], "use {% comment %} for comments over several lines"
