"""The one Jinja2 environment factory: the web pages and the brief documents render through the same setup."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, select_autoescape

from surge.kernel.i18n import LANGUAGES


def make_environment(templates_dir) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(("html", "xml", "svg")),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Callables are passed per render, so one environment serves every language safely.
    env.globals["LANGUAGES"] = LANGUAGES
    return env
