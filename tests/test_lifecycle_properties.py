"""The lifecycle engine under random event sequences: invariants that must always hold."""

from __future__ import annotations

import itertools
from typing import Any

from factories import training_request
from hypothesis import given, settings
from hypothesis import strategies as st

import sagemaker_lite
from sagemaker_lite.contract.errors import ClientError
from sagemaker_lite.engine.lifecycle import MACHINES, TRAINING

NAMES = ["a", "b", "c"]

actions = st.lists(
    st.one_of(
        st.tuples(
            st.just("create"),
            st.sampled_from(NAMES),
            st.sampled_from([None, "Starting", "Downloading", "Training", "Uploading"]),
        ),
        st.tuples(st.just("advance"), st.integers(0, 900)),
        st.tuples(st.just("stop"), st.sampled_from(NAMES)),
        st.tuples(st.just("delete"), st.sampled_from(NAMES)),
    ),
    max_size=25,
)


def check_invariants(sm: sagemaker_lite.Client, finished: dict[str, tuple[str, str]]) -> None:
    now = sm.emulator.clock.now()
    legal = TRAINING.legal_states()
    listed = {
        s["TrainingJobName"]: s
        for s in sm.list_training_jobs(MaxResults=100)["TrainingJobSummaries"]
    }
    for name, summary in listed.items():
        d = sm.describe_training_job(TrainingJobName=name)
        state = (d["TrainingJobStatus"], d["SecondaryStatus"])
        assert state in legal
        assert (summary["TrainingJobStatus"], summary["SecondaryStatus"]) == state
        transitions = d["SecondaryStatusTransitions"]
        starts = [t["StartTime"] for t in transitions]
        assert starts == sorted(starts) and starts[-1] <= now
        for before, after in itertools.pairwise(transitions):
            assert before["EndTime"] == after["StartTime"]
        assert transitions[-1]["Status"] == d["SecondaryStatus"]
        assert d["CreationTime"] <= d["LastModifiedTime"] <= now
        if name in finished:
            assert state == finished[name]  # terminal states are final
        if d["TrainingJobStatus"] in MACHINES["training-job"].terminal:
            finished[name] = state
            assert d["TrainingEndTime"] == d["LastModifiedTime"]
    for name in list(finished):
        if name not in listed:
            del finished[name]


@settings(max_examples=60)
@given(actions)
def test_random_event_sequences_keep_the_lifecycle_invariants(steps: list[Any]) -> None:
    sm = sagemaker_lite.client()
    finished: dict[str, tuple[str, str]] = {}
    for step in steps:
        kind = step[0]
        try:
            if kind == "create":
                _, name, fail_at = step
                if fail_at:
                    sm.emulator.script_training(
                        name, fail_at=fail_at, failure_reason="ClientError: scripted"
                    )
                sm.create_training_job(**training_request(name))
            elif kind == "advance":
                sm.emulator.advance(step[1])
            elif kind == "stop":
                sm.stop_training_job(TrainingJobName=step[1])
            else:
                sm.delete_training_job(TrainingJobName=step[1])
        except ClientError as error:
            assert error.response["Error"]["Code"] in {"ValidationException", "ResourceInUse"}
        check_invariants(sm, finished)
    sm.emulator.run_until_idle()
    check_invariants(sm, finished)
    for summary in sm.list_training_jobs(MaxResults=100)["TrainingJobSummaries"]:
        assert summary["TrainingJobStatus"] in TRAINING.terminal


def test_every_table_row_leads_to_a_known_state() -> None:
    for machine in MACHINES.values():
        assert machine.initial in machine.legal_states()
        assert machine.terminal
        for state in machine.legal_states():
            if state[0] in machine.terminal:
                assert all(machine.next_state(state, e) is None for e in machine.events())
