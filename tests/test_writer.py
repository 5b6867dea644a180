import json
import os

import pytest

from generator.writer import JOURNAL, MANIFEST, OutputWriter, WriteError, write_outputs


def snapshot(folder):
    """Modification times of every file and folder below ``folder`` (a folder's changes when an entry comes or goes)."""
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in [folder, *folder.rglob("*")]}


def test_writes_files_and_a_manifest(tmp_path):
    result = write_outputs(tmp_path, {"a.md": "A", "x/y/b.md": "B"})
    assert (tmp_path / "x/y/b.md").read_text() == "B"
    assert result.written == ("a.md", "x/y/b.md")
    assert set(json.loads((tmp_path / MANIFEST).read_text())["files"]) == {"a.md", "x/y/b.md"}
    assert not (tmp_path / JOURNAL).exists()


def test_unchanged_rerun_writes_nothing_at_all(tmp_path):
    files = {"a.md": "A", "x/b.md": "B"}
    write_outputs(tmp_path, files)
    os.utime(tmp_path / "a.md", ns=(1, 1))  # an old file with the right content is still right
    before = snapshot(tmp_path)
    result = write_outputs(tmp_path, files)
    assert result.written == () and result.unchanged == ("a.md", "x/b.md")
    assert snapshot(tmp_path) == before  # no page, no manifest, no journal or temporary file created and removed


def test_one_changed_file_is_the_only_one_written(tmp_path):
    write_outputs(tmp_path, {"a.md": "A", "x/b.md": "B", "x/c.md": "C"})
    before = snapshot(tmp_path)
    result = write_outputs(tmp_path, {"a.md": "A", "x/b.md": "B2", "x/c.md": "C"})
    after = snapshot(tmp_path)
    assert result.written == ("x/b.md",)
    assert sorted(k for k in after if after[k] != before.get(k)) == [".", MANIFEST, "x", "x/b.md"]


def test_stale_outputs_deleted_authored_files_kept(tmp_path):
    (tmp_path / "about.md").write_text("authored")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "notes.md").write_text("authored too")
    write_outputs(tmp_path, {"a.md": "A", "old/gone.md": "G", "deep/er/gone.md": "G"})
    result = write_outputs(tmp_path, {"a.md": "A2"})
    assert result.deleted == ("deep/er/gone.md", "old/gone.md")
    assert not (tmp_path / "deep").exists()  # emptied folders go too
    assert (tmp_path / "about.md").read_text() == "authored"
    assert (tmp_path / "old" / "notes.md").read_text() == "authored too"


def test_a_sweep_between_batches_leaves_only_what_a_later_batch_may_write(tmp_path):
    write_outputs(tmp_path, {"a.md": "A", "gone.md": "G", "search/old/x.js": "X", "search/keep/y.js": "Y"})
    writer = OutputWriter(tmp_path)
    writer.write({"a.md": "A"})
    writer.sweep(still_to_come=lambda path: path.startswith("search/"))
    assert not (tmp_path / "gone.md").exists()  # gone before a builder runs between the batches
    assert (tmp_path / "search/old/x.js").exists() and (tmp_path / "search/keep/y.js").exists()
    writer.write({"search/keep/y.js": "Y"})
    result = writer.finish()
    assert result.deleted == ("gone.md", "search/old/x.js") and result.unchanged == ("a.md", "search/keep/y.js")
    assert set(json.loads((tmp_path / MANIFEST).read_text())["files"]) == {"a.md", "search/keep/y.js"}


def test_refuses_to_overwrite_an_authored_file_and_writes_nothing(tmp_path):
    (tmp_path / "index.md").write_text("my own home page")
    with pytest.raises(WriteError, match="will not overwrite files the generator did not create: index.md"):
        write_outputs(tmp_path, {"a.md": "A", "index.md": "generated"})
    assert (tmp_path / "index.md").read_text() == "my own home page"
    assert not (tmp_path / "a.md").exists() and not (tmp_path / MANIFEST).exists()


def test_paths_outside_the_output_folder_are_refused(tmp_path):
    out = tmp_path / "out"
    for bad in ("../escape.md", "/etc/passwd", "a/../../b.md"):
        with pytest.raises(WriteError, match="outside the output folder"):
            write_outputs(out, {bad: "x"})
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out"]


def test_a_run_killed_before_its_manifest_is_repaired_by_the_next(tmp_path):
    write_outputs(tmp_path, {"a.md": "A", "old.md": "O"})
    # What a run killed mid-way leaves: its journal, some new files, a temporary, the old manifest.
    (tmp_path / JOURNAL).write_text(json.dumps(["a.md", "old.md", "new.md", "half.md"]))
    (tmp_path / "new.md").write_text("N (older content)")
    (tmp_path / ".half.md.press-archive-tmp").write_text("partial")
    result = write_outputs(tmp_path, {"a.md": "A", "new.md": "N"})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.md", "new.md", MANIFEST])
    assert (tmp_path / "new.md").read_text() == "N" and result.deleted == ("old.md",)


def test_corrupt_manifest_is_a_clear_error(tmp_path):
    (tmp_path / MANIFEST).write_text("{not json")
    with pytest.raises(WriteError, match="unreadable"):
        write_outputs(tmp_path, {"a.md": "A"})


def test_a_folder_a_killed_run_made_for_a_file_it_never_wrote_goes(tmp_path):
    write_outputs(tmp_path, {"a.md": "A"})
    # Killed after it made the folder for deep/new/b.md and before the rename put the file there.
    (tmp_path / JOURNAL).write_text(json.dumps(["a.md", "deep/new/b.md"]))
    (tmp_path / "deep" / "new").mkdir(parents=True)
    (tmp_path / "mine").mkdir()  # an authored empty folder, which no journal names
    write_outputs(tmp_path, {"a.md": "A"})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.md", "mine", MANIFEST])


def test_a_deferred_page_is_made_as_it_is_written_never_all_at_once(tmp_path):
    """The pages of a 20,000-release archive are hundreds of MB of text: each ``Deferred`` page
    is made when the writer comes to it, after the one before is on disk, and dropped then."""
    from generator.writer import Deferred

    made: list[str] = []

    def page(number: int):
        def make() -> str:
            if number:  # the page before it is written before this one is made
                assert (tmp_path / "out" / f"p{number - 1}.md").read_text() == f"page {number - 1}\n"
            assert not (tmp_path / "out" / f"p{number}.md").exists()
            made.append(f"p{number}.md")
            return f"page {number}\n"
        return Deferred(make)

    result = write_outputs(tmp_path / "out", {f"p{n}.md": page(n) for n in range(5)})
    assert made == [f"p{n}.md" for n in range(5)] and result.written == tuple(made)
    again = write_outputs(tmp_path / "out", {f"p{n}.md": Deferred(lambda n=n: f"page {n}\n") for n in range(5)})
    assert again.written == () and len(again.unchanged) == 5
