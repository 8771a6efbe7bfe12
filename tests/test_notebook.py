"""notebooks/explore.ipynb runs end to end (nbclient, a real kernel) on a fresh output folder."""

from __future__ import annotations

import json
import time

import nbformat
import pytest
from conftest import REPO
from nbclient import NotebookClient

NOTEBOOK = REPO / "notebooks" / "explore.ipynb"


def _outputs(nb, kind: str) -> list:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])
            if kind in o.get("data", {})]


def _text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.append(json.dumps(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


@pytest.mark.usefixtures("prefect_api")
def test_the_notebook_answers_its_questions_on_a_fresh_run(seed_mix_out, tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_OUT", str(seed_mix_out))  # the kernel inherits the environment
    # plots inline even when the environment sets a non-interactive backend (MPLBACKEND=Agg in CI)
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:  # the saved outputs must not pass for fresh ones
        if cell.cell_type == "code":
            cell.outputs = []
    started = time.perf_counter()
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert time.perf_counter() - started < 60
    assert len(_outputs(nb, "image/png")) >= 3  # the quotes bar chart, the timeline, the co-occurrence map, places
    text = _text(nb)
    assert f"tables from {seed_mix_out}" in text
    assert "Dmitry Tsvetkov" in text  # who is quoted most, and what he said
    assert "Life.Divorce" in text  # the events timeline
    assert "Elsina Khayrova" in text  # co-occurs with Tsvetkov and Cruise
    assert "GBP" in text and "collection" in text  # the seed's £1million handbag collection, in the amounts
    assert "quotation_tone" in text and "2023-12" in text  # the tone sections
    assert "London" in text and "places in" in text  # the places by country, on a map


def test_the_notebook_says_where_to_point_it(tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_OUT", str(tmp_path / "nothing"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type == "code"][:1]
    from nbclient.exceptions import CellExecutionError

    with pytest.raises(CellExecutionError, match="BROADSHEET_OUT"):
        NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
