"""World C, the blind-written org generator: it reproduces the measured world byte for byte and keeps the
structural promises `read_world` and the org-world bench rely on (the checks of its author's check.py)."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import numpy as np
import pytest

from bench.org_world import select_world
from bench.worlds.org_world import World, read_world
from bench.worlds.world_c import END, N_LEADS, TARGET_BASE, generate_world_c

END_ISO = END.strftime("%Y-%m-%dT%H:%M:%SZ")
SMALL = 300
OPEN = {"Open - Not Contacted", "Working - Contacted"}
# sha256 of the files of the world measured in session 5 (seed 20261130, 3,000 leads).
MEASURED = {
    "leads.jsonl": "a11dad5fef29dbb6c390537ec31553b8bc9c20c55a997bf5513413c411f70a69",
    "calls.jsonl": "0d1140f9f06d6afea612f4d22bb7cd68934293e860d188e161b0d46d0fa408d2",
    "truth.jsonl": "050c0219d1fcc00991aada58c834580324aa3b2175069c12bb211bae895bafb1",
}


@pytest.fixture(scope="module")
def full_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_world_c(tmp_path_factory.mktemp("world_c_full"))


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_world_c(tmp_path_factory.mktemp("world_c_small"), n_leads=SMALL)


@pytest.fixture(scope="module", params=["small_dir", "full_dir"])
def world(request: pytest.FixtureRequest) -> World:
    directory: Path = request.getfixturevalue(request.param)
    return read_world(directory)


def test_default_world_is_the_measured_one(full_dir: Path) -> None:
    assert {name: hashlib.sha256((full_dir / name).read_bytes()).hexdigest() for name in MEASURED} == MEASURED
    assert len(read_world(full_dir).leads) == N_LEADS


def test_same_size_gives_same_bytes(small_dir: Path, tmp_path: Path) -> None:
    generate_world_c(tmp_path, n_leads=SMALL)
    assert len(read_world(small_dir).leads) == SMALL
    for name in MEASURED:
        assert (tmp_path / name).read_bytes() == (small_dir / name).read_bytes(), name


def test_bench_org_world_c_measures_world_c(full_dir: Path) -> None:
    world, name = select_world("c")
    assert world == read_world(full_dir)
    assert name == f"world C ({N_LEADS} leads, bench.worlds.world_c)"


def test_bench_org_world_folder_is_read_as_written(small_dir: Path) -> None:
    assert select_world(str(small_dir)) == (read_world(small_dir), str(small_dir))


def test_keys_are_unique_and_shared(world: World) -> None:
    keys = [lead["Key"] for lead in world.leads]
    assert len(set(keys)) == len(keys) == len(world.truth)
    assert set(keys) == set(world.truth)
    call_ids = [call["id"] for call in world.calls]
    assert len(set(call_ids)) == len(call_ids)
    assert {call_id.removeprefix("note-") for call_id in call_ids} <= set(keys)


def test_open_leads_are_undecided_and_decided_ones_carry_their_outcome(world: World) -> None:
    for lead in world.leads:
        truth = world.truth[lead["Key"]]
        history = lead["StatusHistory"]
        if lead["Status"] in OPEN:
            assert truth["decided_at"] is None
            assert "ConvertedDate" not in lead and "Opportunity" not in lead
            continue
        assert truth["decided_at"] is not None and truth["decided_at"] < END_ISO
        assert history[-1]["NewValue"] == lead["Status"] and history[-1]["CreatedDate"] == truth["decided_at"]
        assert (lead["Status"] == "Closed - Converted") == truth["progressed"]
        if truth["progressed"]:
            assert lead["Opportunity"]["Voice_AI__c"] == truth["voice_ai"]
            assert lead["ConvertedDate"] == truth["decided_at"][:10]


def test_status_history_is_a_chain_after_creation(world: World) -> None:
    for lead in world.leads:
        history = lead["StatusHistory"]
        for before, after in itertools.pairwise(history):
            assert before["CreatedDate"] < after["CreatedDate"] and before["NewValue"] == after["OldValue"]
        if history:
            assert history[0]["CreatedDate"] > lead["CreatedDate"]
            assert history[0]["OldValue"] == "Open - Not Contacted"


def test_truth_is_coherent(world: World) -> None:
    for truth in world.truth.values():
        assert truth["voice_ai"] <= truth["progressed"]
        assert truth["p_voice_ai"] <= truth["p_progress"] + 1e-12
    mean_p = float(np.mean([t["p_progress"] for t in world.truth.values()]))
    assert mean_p == pytest.approx(TARGET_BASE, abs=0.002)  # the intercept is calibrated to the base rate


def test_calls_happen_between_creation_and_decision_with_a_rep(world: World) -> None:
    leads = {lead["Key"]: lead for lead in world.leads}
    assert world.calls
    for call in world.calls:
        key = call["id"].removeprefix("note-")
        decided_at = world.truth[key]["decided_at"]
        assert leads[key]["CreatedDate"] < call["started_at"] < END_ISO
        assert decided_at is None or call["started_at"] < decided_at
        assert any(attendee["email"].endswith("@telnyx.com") for attendee in call["attendees"])


def test_newest_fifth_is_open(world: World) -> None:
    by_creation = sorted(world.leads, key=lambda lead: lead["CreatedDate"])
    newest = by_creation[int(0.8 * len(by_creation)) :]
    assert all(lead["Status"] in OPEN for lead in newest)
    assert any(lead["Status"] not in OPEN for lead in world.leads)
