"""What `pip install .` puts in site-packages: the `broadsheet` package alone, flows/ and schemas/ inside it."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.resources
import os
import sysconfig
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _setuptools() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_folder_of_the_package_is_listed():
    """The package list is explicit (flows/ and schemas/ are mapped into it): a new subfolder of
    broadsheet/ missing from it would be left out of a non-editable install, data files included."""
    listed = set(_setuptools()["packages"])
    folders = {".".join(p.relative_to(REPO).parts) for p in (REPO / "broadsheet").rglob("*")
               if p.is_dir() and p.name != "__pycache__" and any(f.is_file() for f in p.iterdir())}
    assert folders | {"broadsheet"} <= listed
    assert _setuptools()["package-dir"] == {"broadsheet.flows": "flows", "broadsheet.schemas": "schemas"}


def test_flows_and_schemas_are_read_through_the_package():
    from broadsheet.flows import pipeline, server  # noqa: F401

    text = importlib.resources.files("broadsheet.schemas").joinpath("tables.yaml").read_text(encoding="utf-8")
    assert "documents" in text


def test_nothing_but_broadsheet_lands_at_the_top_of_site_packages():
    sites = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    # the installed distribution, not the broadsheet.egg-info a source checkout may hold
    (dist,) = [d for d in importlib.metadata.distributions(path=list(sites)) if d.metadata["Name"] == "broadsheet"]
    files = dist.files or []
    top = {f.parts[0] for f in files if f.parts[0] != ".." and not f.parts[0].endswith(".dist-info")
           and not f.name.startswith("__editable__")}  # an editable install adds its finder (and its .pyc) only
    assert top <= {"broadsheet"}, top
    for site in map(Path, sites):
        assert not (site / "flows").exists() and not (site / "schemas").exists(), site


@pytest.mark.skipif(not os.environ.get("BROADSHEET_TEST_INSTALLED"), reason=".ci/run's non-editable install only")
def test_the_tests_run_against_the_installed_package():
    sites = {Path(sysconfig.get_paths()[key]) for key in ("purelib", "platlib")}
    for name in ("broadsheet", "broadsheet.flows", "broadsheet.schemas"):
        module = importlib.import_module(name)
        assert any(Path(module.__file__).is_relative_to(site) for site in sites), module.__file__
