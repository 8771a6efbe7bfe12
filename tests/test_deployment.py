"""The Prefect deployment file points at the real flow with parameters it accepts."""

from __future__ import annotations

import inspect

import yaml
from broadsheet.flows.pipeline import pipeline
from conftest import REPO


def test_prefect_yaml_deploys_the_pipeline_flow():
    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = config["deployments"]
    path, function = deployment["entrypoint"].split(":")
    assert (REPO / path).is_file() and function == pipeline.fn.__name__
    accepted = set(inspect.signature(pipeline.fn).parameters)
    assert set(deployment["parameters"]) <= accepted
    assert all((REPO / p).exists() for p in deployment["parameters"]["paths"])
    assert deployment["schedules"][0]["cron"].count(" ") == 4
