"""What each ``press-archive`` command does, over the library (``pipeline``, ``generation``,
``builder``).  A command's docstring is its help text (``cli`` builds the parser from it),
with an example; ``tests/test_docs.py`` checks that every command has one.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
from pathlib import Path

from .audit import audit_data, audit_text
from .builder import BuilderError, SiteBuild, builder_command
from .config import DEFAULT_CONFIG_FILE, Config, ConfigError, LoadedConfig, json_schema_text, load_config, read_site_identity
from .generation import Generation, Unchanged, start_generation
from .pagefind import SearchError
from .pipeline import gather
from .progress import Stages
from .project import NewProject, create_project
from .reader import InputError
from .templates import overrides_folder, package_template, template_names
from .watch import follow_changes, watched_paths
from .writer import WriteError

EXIT_OK = 0
EXIT_PROBLEMS = 1  # --strict and some record was rejected or warned about; or the builder failed
EXIT_ERROR = 2  # bad usage, configuration or output folder: nothing was generated
EXIT_INTERRUPTED = 130


def cmd_generate(args: argparse.Namespace, loaded: LoadedConfig) -> int:
    """Generate the MkDocs pages (site_src/) and archive.json from press-release dumps.

    INPUT is any number of input files or folders (read recursively); by default the
    folders named in press-archive.yml (data/releases/). Plain-text dumps, JSON Lines
    (.jsonl) and CSV (.csv) are read alike; encodings are detected. Rejected records and
    unreadable files are listed on stderr as file:line: reason and in the report; with
    --strict any rejection or warning makes the exit status 1. A file whose content is
    unchanged is not rewritten. On a terminal, long stages show a progress bar.

    Example:
      press-archive generate data/releases/ --out site_src --report build/report.json --strict
    """
    return _generate(args, loaded)


def cmd_build(args: argparse.Namespace, loaded: LoadedConfig) -> int:
    """Generate the pages, then build the static site with `mkdocs build --strict` (or Zensical).

    Takes the same options as `generate`; the site is written to mkdocs.yml's site_dir
    (site/). MkDocs builds while Pagefind still indexes the releases for search; the
    finished index is then written to the output folder and copied into the site, as
    MkDocs would copy it. After a first build MkDocs builds only the pages that changed
    (`mkdocs build --dirty`, made safe: see "The daily loop" in the README), unless the
    theme, mkdocs.yml or the navigation changed; --full-rebuild builds every page.
    --builder zensical builds the same pages with Zensical, Material's successor, which
    reads the same mkdocs.yml (install it with the `zensical` extra).

    Example:
      press-archive build && python -m http.server -d site
      press-archive build --builder zensical
    """
    config = loaded.config
    command = builder_command(args.builder, "build", config.resolve(config.mkdocs_config))
    generation = _start_generation(args, loaded, search_beside_builder=True)
    if _fails_strict(args, loaded, generation.problems):  # no site from input with problems
        return _finish_generation(args, loaded, generation)
    build = SiteBuild.start(
        command, args.builder, config.resolve(config.mkdocs_config), generation.site, _out_dir(args, config),
        config.resolve(config.cache), args.full_rebuild,
    )
    try:
        index = generation.index()
    finally:
        returncode = build.wait()
    status = _finish_generation(args, loaded, generation)
    if returncode != 0:
        print(f"press-archive: error: {args.builder} build failed (exit status {returncode}); see its messages above", file=sys.stderr)
        return EXIT_PROBLEMS
    build.finish(index)
    return status


def cmd_serve(args: argparse.Namespace, loaded: LoadedConfig) -> int:
    """Generate the pages, then preview the site with `mkdocs serve`, regenerating on every change.

    Takes the same options as `generate`, plus --dev-addr, --full-rebuild and --builder. It
    watches the inputs and every file of settings (press-archive.yml, mkdocs.yml, the
    vocabularies, the duplicate overrides, the page templates in overrides/press-archive/):
    when one changes, it generates the pages again,
    and the preview reloads by itself. MkDocs runs with --dirty: it rebuilds only the pages
    whose source changed, and since `generate` rewrites only pages whose content changed,
    one new release shows in seconds even in a 20,000-release archive. --full-rebuild makes
    MkDocs rebuild every page. --builder zensical previews with `zensical serve` instead
    (always incremental; note that it writes its preview into site_dir, over the site
    `build` made).

    Example:
      press-archive serve --dev-addr 127.0.0.1:8000
    """
    command = builder_command(args.builder, "serve", loaded.config.resolve(loaded.config.mkdocs_config))
    command += ["--dev-addr", args.dev_addr]
    if args.builder == "zensical" and args.full_rebuild:
        raise BuilderError("--full-rebuild: zensical serve always rebuilds what changed, and has no other mode")
    if args.builder == "mkdocs" and not args.full_rebuild:
        command.append("--dirty")
    status = _generate(args, loaded)
    if status != EXIT_OK:
        return status
    builder = subprocess.Popen(command)
    try:
        _regenerate_on_change(args, loaded, builder)
    except KeyboardInterrupt:  # Ctrl-C is how a preview ends; the builder gets it too (not when only this process was signalled)
        if builder.poll() is None:
            builder.send_signal(signal.SIGINT)
        try:
            builder.wait(timeout=30)
        except subprocess.TimeoutExpired:
            builder.kill()
            builder.wait()
        return EXIT_OK
    return EXIT_OK if builder.returncode == 0 else EXIT_PROBLEMS


def _regenerate_on_change(args: argparse.Namespace, loaded: LoadedConfig, builder: subprocess.Popen) -> None:
    """Until the builder stops: when a watched file changes, read the configuration again and generate.

    A run that fails (a typo in press-archive.yml) is reported and the preview goes on with
    the pages it has; the next change tries again.
    """
    config_file = config_file_of(args) or (Path(DEFAULT_CONFIG_FILE) if Path(DEFAULT_CONFIG_FILE).exists() else None)
    config = loaded.config  # as last read: it names what is watched

    def watched() -> list[Path]:
        return watched_paths(config, _inputs(args, config), config_file, _templates_folder(config))

    def regenerate(files: list[str]) -> None:
        nonlocal config
        print(f"press-archive: changed: {', '.join(files[:5])}; generating the pages again", file=sys.stderr)
        try:
            reloaded = load_config(config_file_of(args))
            config = reloaded.config
            _generate(args, reloaded)
        except (ConfigError, InputError, WriteError, SearchError) as error:
            for line in str(error).splitlines():
                print(f"press-archive: error: {line} (the preview keeps the pages it has)", file=sys.stderr)

    follow_changes(lambda: builder.poll() is None, watched, regenerate)


def _templates_folder(config: Config) -> Path | None:
    """The project's own page templates (overrides/press-archive/), where mkdocs.yml names a theme folder."""
    return overrides_folder(read_site_identity(config.resolve(config.mkdocs_config)).custom_dir)


def cmd_duplicates(args: argparse.Namespace, loaded: LoadedConfig) -> int:
    """List every near-duplicate merge with its scores and reason, and the near-misses.

    Reads the dumps as `generate` does, writes nothing. Each merge shows the shorter text,
    the fuller one it was merged into, the four scores (containment of the shorter text in
    the longer, length ratio, title similarity, days apart) and the rule that fired; each
    near-miss why it was not merged. To correct a decision, add the pair of text ids to
    `never_merge` or `always_merge` in the overrides file (data/duplicates.yml); overrides
    win. The thresholds are under `near_duplicates` in press-archive.yml.

    Example:
      press-archive duplicates data/releases/ --json > build/duplicates.json
    """
    config = loaded.config
    _print_config_warnings(loaded)
    gathered = gather(config, _inputs(args, config))
    result = gathered.deduplicated
    overrides_file = config.near_duplicates.overrides
    if args.json:
        print(json.dumps(audit_data(result), indent=1, ensure_ascii=False))
    else:
        print(audit_text(result, overrides_file))
    for problem in gathered.problems:
        print(f"{problem}", file=sys.stderr)
    return _strict_status(args, loaded, len(gathered.problems))


def cmd_new(args: argparse.Namespace) -> int:
    """Create a new archive project in DIR, ready to build: settings, theme, sample input, Pages workflow.

    DIR must be empty or new. It gets mkdocs.yml and press-archive.yml (the site's name,
    language and time zone filled in), empty vocabularies (a kind of tag with none is left
    out of the site), an empty permalink registry, the theme's templates and stylesheet in
    overrides/ to restyle the site, .github/workflows/pages.yml to publish on GitHub Pages,
    a .gitignore, a README for the site's owner, and a sample input in data/releases/.

    Example:
      press-archive new council --name "Springfield City Council" --language en --timezone America/Chicago
      cd council && press-archive build
    """
    request = NewProject(Path(args.folder), args.name, args.language, args.timezone, args.description)
    written = create_project(request)
    print(f"press-archive: new archive in {request.folder} ({len(written)} files); build it with:", file=sys.stderr)
    print(f"  cd {request.folder} && press-archive build", file=sys.stderr)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of press-archive.yml, or write it to FILE.

    Editors complete and check press-archive.yml with it: the file's first line,
    `# yaml-language-server: $schema=press-archive.schema.json`, points VS Code's YAML
    extension (and other editors using yaml-language-server) at the copy `press-archive new`
    puts beside it. Write it again after upgrading Press Archive to pick up new settings.

    Example:
      press-archive schema --output press-archive.schema.json
    """
    text = json_schema_text()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"press-archive: wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_templates(args: argparse.Namespace, loaded: LoadedConfig) -> int:
    """List the page templates, or copy some into the project to change them.

    Every page and feed is written from a Jinja2 template: release.html (a release's page),
    listing.html (a category's or a tag's page), month.html, year.html, home.html,
    chart.html, rss.html, atom.html, json-feed.html and the rest.  A file of the same name in
    press-archive/ inside the theme's custom_dir (overrides/press-archive/) replaces the
    package's.  With no NAME, the templates are listed with where each comes from; with
    NAMEs, the package's versions are copied there to edit (an existing file is kept).

    Example:
      press-archive templates
      press-archive templates release.html && $EDITOR overrides/press-archive/release.html
    """
    site = read_site_identity(loaded.config.resolve(loaded.config.mkdocs_config))
    folder = overrides_folder(site.custom_dir)
    names = template_names()
    unknown = [name for name in args.names if name not in names]
    if unknown:
        raise ConfigError(f"no template named {', '.join(unknown)} (the templates: {', '.join(names)})")
    if not args.names:
        for name in names:
            own = folder / name if folder is not None else None
            print(f"{name}\t{own if own is not None and own.is_file() else 'package'}")
        return EXIT_OK
    if folder is None:
        raise ConfigError("mkdocs.yml sets no theme.custom_dir: add `custom_dir: overrides` under `theme:` to keep templates there")
    for name in args.names:
        target = folder / name
        if target.exists():
            print(f"press-archive: {target} exists; left as it is", file=sys.stderr)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(package_template(name), encoding="utf-8")
        print(f"press-archive: {target}: edit it; the next generate uses it", file=sys.stderr)
    return EXIT_OK


COMMANDS = {
    "generate": cmd_generate,
    "build": cmd_build,
    "serve": cmd_serve,
    "duplicates": cmd_duplicates,
    "templates": cmd_templates,
}
PROJECT_COMMANDS = {"new": cmd_new, "schema": cmd_schema}  # commands that read no project


def _generate(args: argparse.Namespace, loaded: LoadedConfig) -> int:
    return _finish_generation(args, loaded, _start_generation(args, loaded))


def _start_generation(args: argparse.Namespace, loaded: LoadedConfig, search_beside_builder: bool = False) -> Generation | Unchanged:
    config = loaded.config
    _print_config_warnings(loaded)
    return start_generation(
        config, _inputs(args, config), _out_dir(args, config), _report_path(args, config), Stages.for_terminal(),
        search_beside_builder, on_wait=lambda message: print(f"press-archive: {message}", file=sys.stderr, flush=True),
        adopt=args.adopt,
    )


def _finish_generation(args: argparse.Namespace, loaded: LoadedConfig, generation: Generation | Unchanged) -> int:
    report = generation.finish()
    config = loaded.config
    for line in report.summary(_out_dir(args, config), _report_path(args, config)):
        print(line, file=sys.stderr)
    if args.timings:
        timings = {name: round(seconds, 3) for name, seconds in generation.stages.in_order().items()}
        print(f"press-archive: seconds per stage: {json.dumps(timings)}", file=sys.stderr)
    return _strict_status(args, loaded, report.problems)


def _fails_strict(args: argparse.Namespace, loaded: LoadedConfig, problems: int) -> bool:
    """With --strict, any problem with the input (rejected records, unreadable files, warnings) or
    with the settings (unknown keys) fails the run."""
    return bool(args.strict and (problems or loaded.warnings))


def _strict_status(args: argparse.Namespace, loaded: LoadedConfig, problems: int) -> int:
    if _fails_strict(args, loaded, problems):
        print("press-archive: --strict: failing because of the problems above", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _out_dir(args: argparse.Namespace, config: Config) -> Path:
    return Path(args.out) if args.out else config.resolve(config.output)


def _report_path(args: argparse.Namespace, config: Config) -> Path:
    return Path(args.report) if args.report else config.resolve(config.report)


def _inputs(args: argparse.Namespace, config: Config) -> list[Path]:
    return [Path(p) for p in args.inputs] or [config.resolve(p) for p in config.inputs]


def _print_config_warnings(loaded: LoadedConfig) -> None:
    for warning in loaded.warnings:
        print(f"press-archive: warning: {warning}", file=sys.stderr)


def config_file_of(args: argparse.Namespace) -> Path | None:
    """The --config given, after the command or before it; None for the default."""
    given = args.command_config or args.config
    return Path(given) if given else None
