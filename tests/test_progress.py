"""The progress bar shows on a terminal only, and --quiet silences it."""

from __future__ import annotations

import io

from broadsheet import progress


def test_bar_is_off_when_not_a_terminal_and_when_quiet(monkeypatch):
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with progress.articles_bar(10) as advance:
        advance(5)
    assert progress.sys.stderr.getvalue() == ""


def test_bar_counts_articles_on_a_terminal_unless_quiet(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    seen = []
    monkeypatch.setattr("sys.stderr", Terminal())
    monkeypatch.setattr(progress.Progress, "advance", lambda self, task, n: seen.append(n))
    with progress.articles_bar(10) as advance:
        advance(4)
        advance(6)
    assert seen == [4, 6]
    progress.set_quiet(True)
    try:
        with progress.articles_bar(10) as advance:
            advance(3)
        assert seen == [4, 6]
    finally:
        progress.set_quiet(False)
