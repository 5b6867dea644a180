"""Work on both cores (generator/parallel.py): the same results as in one process, failures as they are."""

from __future__ import annotations

import os

import pytest

from generator import parallel


def _pid_and_square(number: int) -> tuple[int, int]:
    return os.getpid(), number * number


def test_work_beside_runs_in_another_process_and_gives_its_result():
    if parallel.processes() < 2:
        pytest.skip("one core: the work runs in this process")
    with parallel.Beside(lambda: _pid_and_square(12)) as pending:
        pid, square = pending.result()
    assert square == 144 and pid != os.getpid()


def test_work_not_worth_a_process_runs_here_at_the_result():
    ran = []
    with parallel.Beside(lambda: ran.append(os.getpid()) or "done", worth=False) as pending:
        assert ran == []
        assert pending.result() == "done"
    assert ran == [os.getpid()]


def test_a_failure_beside_is_raised_by_the_result():
    def fails():
        raise ValueError("a vocabulary the child could not read")

    with parallel.Beside(fails) as pending, pytest.raises(ValueError, match="could not read"):
        pending.result()


def test_a_caller_that_fails_first_leaves_no_process_behind():
    if parallel.processes() < 2:
        pytest.skip("one core: no process to leave")
    children = []
    with pytest.raises(RuntimeError), parallel.Beside(lambda: sum(range(10**7))) as pending:
        children += pending._pool._processes.values()  # the pool's own record of its process
        raise RuntimeError("categories failed")
    assert len(children) == 1 and not children[0].is_alive()


@pytest.mark.slow
def test_the_output_folder_is_looked_at_on_the_other_core_and_the_releases_placed_beside_related_releases(
    tmp_path, monkeypatch
):
    """The writer's look at the output folder (half a second at 40,000 outputs) needs nothing
    of the input: it is taken in another process while this one reads and deduplicates.
    Placing the releases needs no classification: it is done here while the other core works
    out the related releases, not after it.  The outputs are a cold run's all the same."""
    import multiprocessing
    import os

    from bench.corpus import CorpusMaker, write_dumps
    from generator import generation, pipeline
    from tests.helpers import make_project
    from tests.test_incremental import add_record, assert_warm_equals_cold

    if parallel.processes() < 2:
        pytest.skip("one core: everything is worked out in this process")
    project = make_project(tmp_path / "project", inputs=[])
    write_dumps(CorpusMaker(seed=5).records_for_releases(parallel.MIN_ITEMS + 100), project.root / "data" / "releases")
    project.generate()
    assert not generation.many_outputs(project.root / "build" / "cache" / generation.OUTPUT_STATES), "a few hundred pages: looked at here"
    add_record(project)
    monkeypatch.setattr(generation, "many_outputs", lambda states: True)  # as for tens of thousands of outputs
    scans = tmp_path / "scans"
    children_alive: list[bool] = []
    original_scan, original_place = generation.scan_folder, pipeline.place

    def scan_folder(root, *args, **kwargs):
        with scans.open("a", encoding="utf-8") as log:  # the look may be in another process: its memory is its own
            log.write(f"{os.getpid()} {root}\n")
        return original_scan(root, *args, **kwargs)

    def place(*args, **kwargs):
        children_alive.append(bool(multiprocessing.active_children()))
        return original_place(*args, **kwargs)

    monkeypatch.setattr(generation, "scan_folder", scan_folder)
    monkeypatch.setattr(pipeline, "place", place)
    assert_warm_equals_cold(project, tmp_path / "cold")  # the warm run, then a cold one on a copy
    looks = [line.split(" ", 1) for line in scans.read_text(encoding="utf-8").splitlines()]
    assert [root for _, root in looks] == [str(project.docs.resolve()), str((tmp_path / "cold" / "site_src").resolve())]
    assert all(int(pid) != os.getpid() for pid, _ in looks)
    assert children_alive == [True, True]
    assert not multiprocessing.active_children()
