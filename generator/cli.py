"""Command-line interface: the parser, the help and the exit status, over ``commands``.

Each command's help text is its function's docstring (``commands``), with an example;
``tests/test_docs.py`` checks that every command has one and that the README names it.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
import textwrap

from . import __version__
from .builder import BUILDERS, BuilderError
from .commands import COMMANDS, EXIT_ERROR, EXIT_INTERRUPTED, PROJECT_COMMANDS, cmd_new, cmd_schema, config_file_of
from .config import ConfigError, load_config
from .pagefind import SearchError
from .project import NewProject
from .reader import InputError
from .writer import WriteError

EXIT_STATUS_HELP = """exit status:
  0    done (rejected records are listed but do not stop the run)
  1    --strict and some record or file was rejected or warned about; or the builder failed
  2    nothing generated: missing input, bad configuration, output folder not writable as asked
  130  interrupted; the next run repairs whatever was half done"""


def version() -> str:
    """The installed package's version (pyproject.toml), or the source tree's when not installed."""
    try:
        return importlib.metadata.version("press-archive")
    except importlib.metadata.PackageNotFoundError:
        return __version__


def _help_text(function) -> tuple[str, str]:
    summary, _, details = function.__doc__.partition("\n")
    return summary.strip(), details


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="press-archive",
        description="Turn press-release dumps into a searchable MkDocs site.",
        epilog="Run 'press-archive COMMAND --help' for a command's options and an example.\n\n" + EXIT_STATUS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--config", metavar="FILE", help="configuration file (default: press-archive.yml if present)"
    )
    parser.add_argument("--version", action="version", version=f"press-archive {version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    summary, details = _help_text(cmd_new)
    new = commands.add_parser(
        "new", help=summary, description=summary + "\n" + textwrap.dedent(details), formatter_class=argparse.RawDescriptionHelpFormatter
    )
    new.add_argument("folder", metavar="DIR", help="the new project's folder (empty or new)")
    new.add_argument("--name", default="", help="the site's name (default: 'Press Release Archive', in the site's language)")
    new.add_argument("--language", default=NewProject.language, help="the site's language, such as en, ko or fr (default: en)")
    new.add_argument("--timezone", default=NewProject.timezone, help="the IANA time zone of the release dates (default: UTC)")
    new.add_argument("--description", default="", help="one sentence about the site (default: made from the name)")
    summary, details = _help_text(cmd_schema)
    schema = commands.add_parser(
        "schema", help=summary, description=summary + "\n" + textwrap.dedent(details), formatter_class=argparse.RawDescriptionHelpFormatter
    )
    schema.add_argument("--output", metavar="FILE", help="write the schema to FILE (default: print it)")
    for name, function in COMMANDS.items():
        summary, details = _help_text(function)
        sub = commands.add_parser(
            name,
            help=summary,
            description=summary + "\n" + textwrap.dedent(details),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if name == "templates":
            sub.add_argument("names", nargs="*", metavar="NAME", help="a template to copy into the project (release.html …)")
            sub.add_argument("--config", dest="command_config", metavar="FILE", help="configuration file (default: press-archive.yml if present)")
            continue
        sub.add_argument("inputs", nargs="*", metavar="INPUT", help="dump files or folders (default: data/releases/)")
        # Also after the command (`press-archive generate --config FILE`); a different name, so
        # that the subcommand's default does not undo a --config given before the command.
        sub.add_argument(
            "--config", dest="command_config", metavar="FILE", help="configuration file (default: press-archive.yml if present)"
        )
        sub.add_argument("--strict", action="store_true", help="exit 1 if any record is rejected or warned about")
        if name == "duplicates":
            sub.add_argument("--json", action="store_true", help="print the audit as JSON")
            continue
        sub.add_argument("--out", metavar="DIR", help="output folder, MkDocs' docs_dir (default: site_src)")
        sub.add_argument("--report", metavar="FILE", help="JSON report of the run (default: build/report.json)")
        sub.add_argument("--timings", action="store_true", help="print how long each stage took, as JSON")
        sub.add_argument(
            "--adopt", action="store_true",
            help="the output folder's manifest is lost or damaged: take over (overwrite) the files at generated paths",
        )
        if name in ("build", "serve"):
            sub.add_argument(
                "--builder", choices=BUILDERS, default="mkdocs", help="what builds the site from the pages (default: mkdocs)"
            )
        if name == "serve":
            sub.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT", help="address to serve on")
        if name in ("build", "serve"):
            sub.add_argument(
                "--full-rebuild", action="store_true",
                help="build every page (default: MkDocs builds only the pages that changed since its last build)",
            )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command in PROJECT_COMMANDS:
            return PROJECT_COMMANDS[args.command](args)
        loaded = load_config(config_file_of(args))
        return COMMANDS[args.command](args, loaded)
    except (ConfigError, InputError, WriteError, SearchError, BuilderError) as error:
        for line in str(error).splitlines():  # one line per problem, each marked as an error
            print(f"press-archive: error: {line}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as error:  # e.g. an output folder that cannot be written
        print(f"press-archive: error: {error.filename or ''}: {error.strerror}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("press-archive: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
