"""The scale benchmark: one command, every figure the README's table shows.

    python -m bench.run                       # 1,000, 5,000 and 20,000 releases (about 90 minutes)
    python -m bench.run --sizes 1000 5000     # chosen sizes
    python -m bench.run --sizes 1000 --skip serve search
    python -m bench.run --sizes 20000 --skip floor baseline rerun serve --set search.shard_size=2000

For each size it makes a project in a temporary folder whose input is a generated corpus
(``bench.corpus``: twenty years, every category, the seeds' body lengths, exact copies and
caption/full pairs) and measures, each as a separate process as a user runs it:

- the floor: a script that only reads the dumps and writes one file per record;
- a cold ``press-archive build`` (generate, search index, mkdocs build) from nothing, and
  the same without the search stage (``bench.nosearch``), alternating ``--repeats`` (3)
  times: what the search index adds, from the medians;
- ``press-archive generate --timings``: wall time, seconds per stage, peak memory of the
  process and of its process tree (Pagefind runs in processes of its own);
- ``mkdocs build --strict``: time, peak memory, site size, search-index size; and the same
  release pages built alone, without any index page (the baseline the index pages add to);
- a re-run on unchanged input (files modified: should be none);
- a re-run after one new release (which files it rewrites);
- ``mkdocs serve`` and ``mkdocs serve --dirty``: seconds from the start of a re-run with
  one new release until its page is served;
- search in Chromium (``bench.search``), three queries each newest first and best match
  first: bytes fetched (gzip, as served) and seconds to the first result, and until the
  facet counts are complete.

Results go to ``bench/results/scale-N.json``; ``bench/results/scale.md`` tabulates every
size measured so far, as the README shows it.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench import search
from bench.corpus import CorpusMaker, write_dumps
from bench import project as projects

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
DEFAULT_SIZES = (1000, 5000, 20000)
STEPS = ("floor", "ablation", "baseline", "rerun", "serve", "search")  # the optional measurements, for --skip
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(REPO)}
NEW_RELEASE = """-
Energy
Benchmark minister opens the {place} floating offshore wind farm
The minister opened the floating offshore wind farm off {place} today, the largest of its kind in Asia. date{date}
"""


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: int  # the largest single process (wait4)
    tree_peak_mb: int  # the most the process and its children (Pagefind, MkDocs) held at once, sampled
    stdout: str
    stderr: str


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue  # the process ended while we looked
        own = int(status.parent.name)
        children.setdefault(int(fields["PPid"]), []).append(own)
        rss[own] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo += children.get(current, [])
    return total


def run_measured(command: list[str], cwd: Path) -> Measured:
    """Run a command to its end: its wall time, its peak resident memory and its process tree's."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=out, stderr=err)
        tree_peak = [0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.1):
                tree_peak[0] = max(tree_peak[0], _tree_rss_kb(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        stop.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-3000:]}")
    peak = round(usage.ru_maxrss / 1024)
    return Measured(round(seconds, 2), peak, max(peak, round(tree_peak[0] / 1024)), stdout, stderr)


def make_project(root: Path, releases: int, settings: dict[str, str] | None = None) -> dict:
    """A copy of the project's configuration (as the tests make it) reading a corpus of ``releases`` releases.

    ``settings`` replace values of press-archive.yml; a dotted key names a nested one
    (``search.shard_size: 2000``); each value is read as YAML.
    """
    project = projects.make_project(root, inputs=[])
    set_settings(project.config_file, settings or {})
    records = CorpusMaker(seed=1).records_for_releases(releases)
    paths = write_dumps(records, root / "data" / "releases")
    return {
        "records": len(records),
        "input_mb": round(sum(p.stat().st_size for p in paths) / 2**20, 1),
        "newest_date": max(r.date for r in records).isoformat(),
    }


def set_settings(config_file: Path, settings: dict[str, str]) -> None:
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    for key, value in settings.items():
        *parents, name = key.split(".")
        mapping = config
        for parent in parents:
            mapping = mapping.setdefault(parent, {})
        if name not in mapping and not parents:
            raise SystemExit(f"--set {key}: no such key in press-archive.yml")
        mapping[name] = yaml.safe_load(value)
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def snapshot(root: Path) -> dict[str, int]:
    """Modification time of every file below ``root`` except MkDocs' output and the cache (the generator's own work folder)."""
    return {
        str(path.relative_to(root)): path.stat().st_mtime_ns
        for path in root.rglob("*")
        if path.is_file() and path.relative_to(root).parts[0] != "site" and path.relative_to(root).parts[:2] != ("build", "cache")
    }


def changed(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(p for p in after if before.get(p) != after[p]) + sorted(p for p in before if p not in after)


def page_kind(path: str) -> str:
    """What a changed file is, for the incremental figures."""
    parts = path.split("/")
    if parts[0] != "site_src":
        return path  # the permalink registry, the report
    parts = parts[1:]
    if parts[0] == "releases":
        return "release pages"
    if parts[0] == "archive":
        return "month pages" if len(parts) == 3 else "archive index and year pages"
    if parts[0] in ("categories", "topics", "places", "organizations"):
        return f"{parts[0]} pages"
    if parts[0] == "search":
        return "search index" if len(parts) > 2 else "search page"
    return parts[-1]


def dir_size_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


def generate(root: Path) -> tuple[Measured, dict]:
    """A ``generate --timings`` run; its seconds per stage, and ``pagefind`` for the seconds Pagefind ran (0 if it did not)."""
    measured = run_measured([sys.executable, "-m", "generator", "generate", "--timings"], root)
    line = next(line for line in measured.stderr.splitlines() if "seconds per stage:" in line)
    return measured, {**json.loads(line.split("seconds per stage:", 1)[1]), "pagefind": pagefind_seconds(measured.stderr)}


def pagefind_seconds(stderr: str) -> float:
    found = re.search(r"indexed by Pagefind \(([0-9.]+) s", stderr)
    return float(found[1]) if found else 0.0


def mkdocs_build(root: Path, config: str = "mkdocs.yml") -> Measured:
    strict = ["--strict"] if config == "mkdocs.yml" else []
    return run_measured([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", config, *strict], root)


def baseline_build(root: Path) -> Measured:
    """The same release pages built alone: no home, month, category or tag page.

    Their links to the missing index pages are not reported (``validation``), so the
    baseline does the same Markdown and theme work per release page and nothing else.
    """
    docs = root / "baseline_src"
    shutil.copytree(root / "site_src" / "releases", docs / "releases")
    shutil.copytree(root / "site_src" / "assets", docs / "assets")
    (docs / "index.md").write_text("# Baseline\n", encoding="utf-8")
    (root / "mkdocs-baseline.yml").write_text(
        "INHERIT: mkdocs.yml\ndocs_dir: baseline_src\nsite_dir: baseline_site\n"
        "validation:\n  links:\n    not_found: ignore\n    unrecognized_links: ignore\n    anchors: ignore\n",
        encoding="utf-8",
    )
    try:
        return mkdocs_build(root, "mkdocs-baseline.yml")
    finally:
        shutil.rmtree(docs)
        shutil.rmtree(root / "baseline_site", ignore_errors=True)


def add_release(root: Path, place: str, date: str = "2025-12-30") -> str:
    """Add one release in a dump of its own; returns its title."""
    text = NEW_RELEASE.format(place=place, date=date)
    (root / "data" / "releases" / f"zz-new-{place.lower()}.txt").write_text(text, encoding="utf-8")
    return text.splitlines()[2]


def release_url(root: Path, title: str) -> str:
    archive = json.loads((root / "site_src" / "archive.json").read_text(encoding="utf-8"))
    return next(r["url"] for r in archive["releases"] if r["title"] == title)


def serve_rebuild(root: Path, dirty: bool) -> dict:
    """Start ``mkdocs serve``; add a release and regenerate; time until the new page is served.

    With ``dirty`` MkDocs rebuilds only the pages whose source changed, which the generator
    keeps to the pages whose content changed; the month listing and the search index are
    then checked to hold the new release too.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    place = "Jeju" if dirty else "Busan"  # a URL never seen before: not even a redirect answers it yet
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *(["--dirty"] if dirty else [])],
        cwd=root, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        started = time.perf_counter()
        _wait_for(base, server)
        first_build = time.perf_counter() - started
        time.sleep(2)  # let the watcher settle after the first build
        title = add_release(root, place)
        regenerated = time.perf_counter()
        generate(root)
        written = time.perf_counter()
        _wait_for(base + release_url(root, title), server, expect=html.escape(title, quote=False))
        served = time.perf_counter()
        shown = html.escape(title, quote=False)
        month_lists_it = shown in _get(base + "archive/2025/12/")
        # The search index is written after the pages (Pagefind indexes while they are written),
        # so MkDocs may serve the page from one rebuild and the index from the next.
        fragment = next(path for path, data in projects.search_fragments(root / "site_src").items() if data["meta"]["title"] == title)
        _wait_for(base + fragment, server, timeout=600)
        searchable = time.perf_counter()
        search_has_it = _get_bytes(base + fragment) == (root / "site_src" / fragment).read_bytes()
    finally:
        server.terminate()
        server.wait(timeout=60)
        (root / "data" / "releases" / f"zz-new-{place.lower()}.txt").unlink()
        generate(root)
    return {
        "seconds_first_build": round(first_build, 1),
        "seconds_generate": round(written - regenerated, 1),
        "seconds_from_generate_to_served": round(served - regenerated, 1),
        "seconds_from_generate_to_searchable": round(searchable - regenerated, 1),
        "month_page_lists_it": month_lists_it,
        "search_index_has_it": search_has_it,
    }


def _get(url: str) -> str:
    return _get_bytes(url).decode("utf-8", "replace")


def _get_bytes(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=600) as response:
        return response.read()


def _wait_for(url: str, server: subprocess.Popen, expect: str = "", timeout: float = 3600) -> None:
    """Until ``url`` answers 200 with ``expect`` in its page (mkdocs serve holds a request while it rebuilds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"mkdocs serve stopped ({server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                if response.status == 200 and expect in response.read().decode("utf-8", "replace"):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # not there yet (404), or rebuilding
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} not served within {timeout} s")


SEARCH_QUERIES = ("hydrogen", "semiconductor", "exports")  # a less and a more frequent word of the corpus, and the commonest


def search_index_size(site: Path) -> dict:
    files = [p for p in (site / "search").glob("*/**/*") if p.is_file()]
    return {"mb": round(sum(p.stat().st_size for p in files) / 2**20, 1), "files": len(files)}


def clean_outputs(root: Path) -> None:
    """The project as before its first run: no generated pages, no site, no report, no cache, no permalink registry."""
    for leftover in ("site_src", "site", "build"):
        shutil.rmtree(root / leftover, ignore_errors=True)
    (root / "data" / "permalinks.yml").unlink(missing_ok=True)
    shutil.copytree(REPO / "site_src" / "assets", root / "site_src" / "assets")


def cold_builds(root: Path, repeats: int) -> dict:
    """`press-archive build` from nothing (no output, no cache), with the search index and without it (the ablation).

    The two alternate ``repeats`` times in this one bench run, on the same corpus; the
    search index's cost is the difference of their medians (a run on this machine varies
    by a tenth from the next).
    """
    runs: dict[str, list[Measured]] = {"without_search": [], "with_search": []}
    for _ in range(repeats):
        for name, command in (("without_search", "bench.nosearch"), ("with_search", "generator")):
            clean_outputs(root)
            runs[name].append(run_measured([sys.executable, "-m", command, "build"], root))
    measured = {}
    for name, builds in runs.items():
        middle = sorted(builds, key=lambda b: b.seconds)[len(builds) // 2]
        measured[name] = {
            "seconds": middle.seconds,
            "all_seconds": [b.seconds for b in builds],
            "tree_peak_mb": max(b.tree_peak_mb for b in builds),
            "pagefind_seconds": pagefind_seconds(middle.stderr),
        }
    added = measured["with_search"]["seconds"] / measured["without_search"]["seconds"] - 1
    return {**measured, "search_adds": round(added, 3)}


def measure(releases: int, skip: set[str], settings: dict[str, str], repeats: int = 1) -> dict:
    result: dict = {"releases_asked": releases, **({"settings": settings} if settings else {})}
    with tempfile.TemporaryDirectory(prefix=f"press-archive-bench-{releases}-") as folder:
        root = Path(folder)
        result["corpus"] = make_project(root, releases, settings)
        if "floor" not in skip:
            floor = run_measured([sys.executable, "-m", "bench.floor", str(root / "data" / "releases"), str(root / "floor")], REPO)
            result["floor_seconds"] = floor.seconds
            shutil.rmtree(root / "floor")
        if "ablation" not in skip:
            result["cold_build"] = cold_builds(root, repeats)
            clean_outputs(root)  # generate's figures below are a first run's too
        measured, stages = generate(root)
        report = json.loads((root / "build" / "report.json").read_text(encoding="utf-8"))
        result["releases"] = report["releases"]
        result["generate"] = {
            "seconds": measured.seconds, "peak_mb": measured.peak_mb, "tree_peak_mb": measured.tree_peak_mb, "stages": stages
        }
        result["generated_files"] = report["generated_files"]
        if "floor" not in skip:
            result["generate_vs_floor"] = round(measured.seconds / result["floor_seconds"], 2)
        build = mkdocs_build(root)
        result["mkdocs_build"] = {"seconds": build.seconds, "peak_mb": build.peak_mb}
        result["site"] = {"mb": dir_size_mb(root / "site"), "html_pages": sum(1 for _ in (root / "site").rglob("*.html"))}
        result["search_index"] = {"shards": report["search_shards"], **search_index_size(root / "site")}
        if "baseline" not in skip:
            baseline = baseline_build(root)
            result["baseline_build_seconds"] = baseline.seconds
            result["build_vs_baseline"] = round(build.seconds / baseline.seconds, 2)
        if "search" not in skip:
            result["search"] = [
                search.measure(root / "site", query, sort) for query in SEARCH_QUERIES for sort in ("date", "relevance")
            ]
        if "rerun" not in skip:
            before = snapshot(root)
            rerun, _ = generate(root)
            result["rerun_unchanged"] = {"seconds": rerun.seconds, "files_modified": changed(before, snapshot(root))}
            before = snapshot(root)
            add_release(root, "Ulsan")
            rerun, rerun_stages = generate(root)
            modified = [p for p in changed(before, snapshot(root)) if not p.startswith("data/releases/")]
            kinds: dict[str, int] = {}
            for path in modified:
                kinds[page_kind(path)] = kinds.get(page_kind(path), 0) + 1
            result["one_new_release"] = {
                "seconds": rerun.seconds, "search_seconds": rerun_stages["search"], "files_modified": len(modified), "by_kind": kinds
            }
            (root / "data" / "releases" / "zz-new-ulsan.txt").unlink()
            generate(root)
        if "serve" not in skip:
            result["mkdocs_serve"] = serve_rebuild(root, dirty=False)
            result["mkdocs_serve_dirty"] = serve_rebuild(root, dirty=True)
    return result


def table(results: list[dict]) -> str:
    """The README's summary table."""
    rows = [
        ("releases", lambda r: f"{r['releases']:,}"),
        ("input dumps", lambda r: f"{r['corpus']['input_mb']} MB"),
        ("floor script (read, one file per record)", lambda r: _seconds(r.get("floor_seconds"))),
        ("`generate`", lambda r: _seconds(r["generate"]["seconds"])),
        ("… of which parse / dedupe / classify / place / search / render / write", lambda r: " / ".join(f"{r['generate']['stages'].get(s, 0):.1f}" for s in ("parse", "dedupe", "classify", "place", "search", "render", "write"))),
        ("`generate` ÷ floor", lambda r: _ratio(r.get("generate_vs_floor"))),
        ("`generate` peak memory: itself / with Pagefind's processes", lambda r: f"{r['generate']['peak_mb']} MB / {r['generate'].get('tree_peak_mb', '–')} MB"),
        ("`mkdocs build --strict`", lambda r: _seconds(r["mkdocs_build"]["seconds"])),
        ("release pages alone (baseline)", lambda r: _seconds(r.get("baseline_build_seconds"))),
        ("build ÷ baseline", lambda r: _ratio(r.get("build_vs_baseline"))),
        ("`mkdocs build` peak memory", lambda r: f"{r['mkdocs_build']['peak_mb']} MB"),
        ("site size / HTML pages", lambda r: f"{r['site']['mb']} MB / {r['site']['html_pages']:,}"),
        ("search index: shards / files / size", lambda r: _search_size(r)),
        ("cold `press-archive build` without / with the search index", lambda r: _cold(r)),
        ("… the search index adds", lambda r: _added(r)),
        ("… Pagefind's own time, beside the pages", lambda r: _cold_build(r, lambda c: f"{c['with_search'].get('pagefind_seconds', 0):.1f} s")),
        ("… peak memory of the process tree, with the index", lambda r: _cold_memory(r)),
        ("newest first: fetched (gzip) / seconds to the first result, worst of 3 queries", lambda r: _fetched(r, "date", "first_result")),
        ("best match first: the same", lambda r: _fetched(r, "relevance", "first_result")),
        ("… until the facet counts are complete", lambda r: _fetched(r, "date", "complete")),
        ("re-run, unchanged input: time / files modified", lambda r: _rerun(r)),
        ("re-run, one new release: time / files modified", lambda r: _one_new(r)),
        ("`mkdocs serve`: one new release, `generate` start to page served", lambda r: _serve(r, "mkdocs_serve")),
        ("`mkdocs serve --dirty`: the same", lambda r: _serve(r, "mkdocs_serve_dirty")),
    ]
    header = "| | " + " | ".join(f"{r['releases_asked']:,}" for r in results) + " |"
    lines = [header, "| --- |" + " ---: |" * len(results)]
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(r) for r in results) + " |")
    ratios = [r["mkdocs_build"]["seconds"] for r in results]
    sizes = [r["releases_asked"] for r in results]
    if 1000 in sizes and 5000 in sizes:
        lines.append("")
        lines.append(f"Build time at 5,000 ÷ at 1,000: {ratios[sizes.index(5000)] / ratios[sizes.index(1000)]:.2f}.")
    return "\n".join(lines) + "\n"


def _seconds(value) -> str:
    return "–" if value is None else f"{value:.1f} s"


def _ratio(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def _search_size(r: dict) -> str:
    index = r.get("search_index")
    return "–" if index is None else f"{index['shards']} / {index['files']:,} / {index['mb']} MB"


def _cold(r: dict) -> str:
    def cell(c: dict) -> str:
        runs = len(c["with_search"].get("all_seconds", [0]))
        return f"{c['without_search']['seconds']:.1f} s / {c['with_search']['seconds']:.1f} s" + (f" (medians of {runs})" if runs > 1 else "")

    return _cold_build(r, cell)


def _added(r: dict) -> str:
    return _cold_build(r, lambda c: f"{c['search_adds']:+.1%}")


def _cold_memory(r: dict) -> str:
    return _cold_build(r, lambda c: f"{c['with_search']['tree_peak_mb']} MB")


def _cold_build(r: dict, cell) -> str:
    return "–" if r.get("cold_build") is None else cell(r["cold_build"])


def _fetched(r: dict, sort: str, point: str) -> str:
    runs = [m for m in r.get("search", []) if isinstance(m, dict) and m.get("sort") == sort]
    if not runs:
        return "–"
    worst_bytes = max(m[point]["gzip_bytes"] for m in runs)
    worst_seconds = max(m[point]["seconds"] for m in runs)
    return f"{worst_bytes / 1024:.0f} kB / {worst_seconds:.2f} s"


def _rerun(r: dict) -> str:
    s = r.get("rerun_unchanged")
    return "–" if s is None else f"{s['seconds']:.1f} s / {len(s['files_modified'])}"


def _serve(r: dict, key: str) -> str:
    s = r.get(key)
    if s is None:
        return "–"
    stale = "" if s["month_page_lists_it"] and s["search_index_has_it"] else " (month page or search index stale)"
    searchable = s.get("seconds_from_generate_to_searchable")
    found = "" if searchable is None else f", found by search after {searchable:.1f} s"
    return f"{s['seconds_from_generate_to_served']:.1f} s{found}{stale}"


def _one_new(r: dict) -> str:
    s = r.get("one_new_release")
    return "–" if s is None else f"{s['seconds']:.1f} s / {s['files_modified']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), metavar="N")
    parser.add_argument("--skip", nargs="*", default=[], choices=STEPS, help="measurements to leave out")
    parser.add_argument("--repeats", type=int, default=3, metavar="N", help="cold builds with and without the search index, alternating (medians)")
    parser.add_argument(
        "--set", nargs="*", default=[], metavar="KEY=VALUE", help="press-archive.yml values to try (results: scale-N-KEY-VALUE.json)"
    )
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.set)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        print(f"bench: {size:,} releases …", file=sys.stderr, flush=True)
        result = measure(size, set(args.skip), settings, args.repeats)
        path = RESULTS / ("-".join([f"scale-{size}", *(f"{k}-{v}" for k, v in settings.items())]) + ".json")
        if args.skip and path.exists():  # the skipped measurements keep their last figures
            result = {**json.loads(path.read_text(encoding="utf-8")), **result}
        path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(json.dumps(result, indent=1), flush=True)
    everything = sorted(
        (r for r in (json.loads(p.read_text(encoding="utf-8")) for p in RESULTS.glob("scale-*.json")) if "settings" not in r),
        key=lambda r: r["releases_asked"],
    )
    (RESULTS / "scale.md").write_text(table(everything), encoding="utf-8")
    print(table(everything))


if __name__ == "__main__":
    main()
