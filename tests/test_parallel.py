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
def test_the_output_folder_is_looked_at_while_the_other_core_works_out_related_releases(tmp_path, monkeypatch):
    """The writer's look at the output folder (a second at 40,000 outputs) and the placing of
    the releases need no classification: they are done on this core while the other works
    out the related releases, not after it."""
    import multiprocessing

    from bench.corpus import CorpusMaker, write_dumps
    from generator import pipeline, writer
    from tests.helpers import make_project

    if parallel.processes() < 2:
        pytest.skip("one core: related releases are worked out in this process")
    project = make_project(tmp_path / "project", inputs=[])
    write_dumps(CorpusMaker(seed=5).records_for_releases(parallel.MIN_ITEMS + 100), project.root / "data" / "releases")
    children_alive: dict[str, list[bool]] = {"scan": [], "place": []}
    original_scan, original_place = writer.scan_folder, pipeline.place

    def scan_folder(root, *args, **kwargs):
        if root == project.docs.resolve():
            children_alive["scan"].append(bool(multiprocessing.active_children()))
        return original_scan(root, *args, **kwargs)

    def place(*args, **kwargs):
        children_alive["place"].append(bool(multiprocessing.active_children()))
        return original_place(*args, **kwargs)

    monkeypatch.setattr(writer, "scan_folder", scan_folder)
    monkeypatch.setattr(pipeline, "place", place)
    project.generate()
    assert children_alive == {"scan": [True], "place": [True]}
    assert not multiprocessing.active_children()
