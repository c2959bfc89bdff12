"""Figures the security tests report; tests/conftest.py prints them at the end of the run."""

FIGURES: dict[str, str] = {}


def report(name: str, text: str) -> None:
    FIGURES[name] = text
