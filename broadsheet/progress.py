"""A progress bar (rich) for long runs: on only when the output is a terminal and --quiet is not given.

The flow reports articles done; this module decides whether and how to show it. No other effect.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

_enabled = True


def set_quiet(quiet: bool) -> None:
    """Silence the bar for this process (the CLI's --quiet)."""
    global _enabled
    _enabled = not quiet


@contextmanager
def articles_bar(total: int) -> Iterator[Callable[[int], None]]:
    """A callable advance(n) that moves a bar of `total` articles; a no-op when off or nothing to do."""
    if not (_enabled and total and sys.stderr.isatty()):
        yield lambda n: None
        return
    columns = (TextColumn("articles"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("articles", total=total)
        yield lambda n: bar.advance(task, n)
