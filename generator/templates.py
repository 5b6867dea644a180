"""Render stage, templates: every generated page and feed is a Jinja2 template a site owner can override.

The package's templates are in ``generator/templates/``; a project overrides any one of them
with a file of the same name in ``press-archive/`` inside its theme's ``custom_dir``
(``overrides/press-archive/release.html``).  They end in ``.html`` whatever they write
(Markdown pages, XML and JSON feeds), because MkDocs and Zensical both leave ``.html`` files
of a theme folder out of the site, where a ``.md`` or ``.xml`` would be published as it is.

Input text is data: every value a template writes is escaped for HTML (and so for XML and
Markdown's raw HTML) unless it is already markup (``Markup``), and ``|md`` escapes a value
for a Markdown line.  Message catalog texts are trusted; the values filled into them are
escaped (``t``).  A broken template is reported with its file and line, not a traceback.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
from collections.abc import Mapping
from pathlib import Path

import jinja2
from jinja2.compiler import CodeGenerator
from markupsafe import Markup

from . import urls
from .blocks import front_matter
from .config import ConfigError
from .dates import DateFormat
from .markup import html_text, markdown_text
from .messages import Messages

PACKAGE_TEMPLATES = importlib.resources.files("generator") / "templates"
OVERRIDES_FOLDER = "press-archive"  # in the theme's custom_dir: the project's own templates


class TemplateError(ConfigError):
    """A template that cannot be read or rendered: its file and line, and what is wrong."""


def _escaped(value: object) -> object:
    """A value filled into a catalog text: text escaped for HTML, markup and numbers as they are."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(html_text(value))
    return value


def _text(value: object) -> str:
    """What ``{{ value }}`` writes: text escaped for HTML (quotes as ``&quot;``, apostrophes as
    they are), markup (a catalog text, a macro's output, ``|md``) as it is."""
    if type(value) is str:  # input text, the common case: checked first
        return html_text(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_text(str(value))  # numbers, dates; an undefined name raises here (StrictUndefined)


class _PageCodeGenerator(CodeGenerator):
    """Compiles ``{{ value }}`` to one call of ``_text`` where Jinja would call ``escape(finalize(value))``.

    The same escaping in one function call rather than three and two ``Markup`` objects:
    a page writes a few hundred values, and at 20,000 releases this was most of the
    templates' cost.  Anything but an autoescaped output is compiled as Jinja does.
    """

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.text(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


class _PageEnvironment(jinja2.Environment):
    code_generator_class = _PageCodeGenerator
    text = staticmethod(_text)


def _markdown(value: object) -> Markup:
    """``{{ name|md }}``: text that renders exactly as written on a Markdown line."""
    return Markup(markdown_text(str(value)))


def _json(value: object) -> Markup:
    """``{{ value|json }}``: a JSON value (strings with ``"``, ``\\`` and control characters escaped)."""
    return Markup(json.dumps(value, ensure_ascii=False))


def _front_matter(meta: Mapping) -> Markup:
    """``{{ meta|front_matter }}``: a page's YAML front matter, ending in its ``---`` line (the template's line end follows)."""
    return Markup(front_matter(meta).removesuffix("\n"))


class Templates:
    """The templates of one site: the project's overrides first, then the package's, with the
    site's words (``t``) and dates (``day``, ``month``) at hand in every one."""

    def __init__(self, messages: Messages, dates: DateFormat, overrides: Path | None = None) -> None:
        loaders: list[jinja2.BaseLoader] = []
        if overrides is not None and overrides.is_dir():
            loaders.append(jinja2.FileSystemLoader(overrides))
        loaders.append(jinja2.PackageLoader("generator", "templates"))
        self.overrides = overrides
        self.environment = _PageEnvironment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        self.environment.filters |= {"md": _markdown, "json": _json, "front_matter": _front_matter}
        self.environment.globals |= {
            "t": self.say,
            "day": dates.day,
            "month_name": dates.month,
            "month_abbreviation": dates.month_abbreviation,
            "href": urls.href,
            "link": urls.link,
            "iso": dt.date.isoformat,
        }
        self.messages = messages
        self.dates = dates
        self._fixed: dict[str, Markup] = {}  # texts with nothing to fill in, as markup: most calls
        for key, text in messages.texts.items():
            if isinstance(text, str) and "{" not in text:
                self._fixed[key] = Markup(text)

    def say(self, key: str, count: int | str | None = None, **values: object) -> Markup:
        """A catalog text (trusted) with ``values`` filled in, each escaped unless it is markup."""
        if count is None and not values:
            fixed = self._fixed.get(key)
            if fixed is not None:
                return fixed
        escaped = {name: _escaped(value) for name, value in values.items()}
        return Markup(self.messages(key, count=_escaped(count) if isinstance(count, str) else count, **escaped))

    def render(self, template: str, /, **context: object) -> str:
        """The template named ``template`` (``release.html``) rendered with ``context``."""
        try:
            return self.environment.get_template(template).render(context)
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(f"{self._where(error.filename or template, error.lineno)}: template syntax: {error.message}") from None
        except jinja2.TemplateNotFound as error:
            raise TemplateError(f"template {error.name} not found (in {self.overrides} or the package)") from None
        except (jinja2.TemplateError, TypeError) as error:
            raise TemplateError(f"{self._where(*self._failing_line(error, template))}: {type(error).__name__}: {error}") from None

    def _failing_line(self, error: Exception, name: str) -> tuple[str, int | None]:
        """The template file and line where rendering failed, from the traceback's template frames."""
        found: tuple[str, int | None] = (name, None)
        traceback = error.__traceback__
        while traceback is not None:
            filename = traceback.tb_frame.f_code.co_filename
            if filename.endswith(".html"):  # Jinja gives a template's frames its file name
                found = (filename, traceback.tb_lineno)
            traceback = traceback.tb_next
        return found

    def _where(self, filename: str, line: int | None) -> str:
        return f"{filename}:{line}" if line else filename


def overrides_folder(custom_dir: Path | None) -> Path | None:
    """Where a project keeps its own page templates: ``press-archive/`` in its theme's ``custom_dir``."""
    return custom_dir / OVERRIDES_FOLDER if custom_dir is not None else None


def template_names() -> list[str]:
    """The package's templates, which a project may override."""
    return sorted(path.name for path in PACKAGE_TEMPLATES.iterdir() if path.name.endswith(".html"))


def package_template(name: str) -> str:
    """The text of one of the package's templates."""
    return (PACKAGE_TEMPLATES / name).read_text(encoding="utf-8")
