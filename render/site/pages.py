"""Jinja2 templates -> HTML pages. Every URL in a page is relative to that page (`root` is '../' per level),
so the site works from any folder and from file://."""
from __future__ import annotations

import datetime as dt
import posixpath
from urllib.parse import urlsplit
from pathlib import Path

import jinja2
from markupsafe import Markup

from .feeds import public_url

TEMPLATES = Path(__file__).resolve().parent / "templates"
CSP = Markup("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'")
MONTHS = ("January February March April May June July August September October November December").split()


def human_date(value) -> str:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


_ENV: list[jinja2.Environment] = []


def environment(cache_dir: Path | None = None) -> jinja2.Environment:
    """One environment per process: compiled templates are reused, and reloaded when a template changes.
    With a cache_dir, compiled templates also survive between processes (Jinja's bytecode cache is keyed by
    the template's source, so an edited template is recompiled)."""
    if _ENV:
        return _ENV[0]
    cache = None
    if cache_dir is not None:
        (Path(cache_dir) / "site-jinja").mkdir(parents=True, exist_ok=True)
        cache = jinja2.FileSystemBytecodeCache(str(Path(cache_dir) / "site-jinja"))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             keep_trailing_newline=True, bytecode_cache=cache)
    env.filters["human_date"] = human_date
    _ENV.append(env)
    return env


def root_for(out: str) -> str:
    """'posts/x.html' -> '../'; 'index.html' -> ''."""
    return "../" * out.count("/")


def root_path(site: dict) -> str:
    """The site's path on its host, from `url` ('https://host/essays/' -> '/essays/'; no url: '/'). The 404
    page's links start with it: a host serves 404.html at whatever path was asked for (/posts/nope/x), where
    page-relative links would point at /posts/nope/static/site.css."""
    path = urlsplit(site["url"]).path if site["url"] else "/"
    return path if path.endswith("/") else path + "/"


def absolute(site: dict, out: str) -> str | None:
    return public_url(site, out) if site["url"] else None


def render(env: jinja2.Environment, template: str, out: str, site: dict, **ctx) -> str:
    base = {"site": site, "root": root_for(out), "csp": CSP, "player": False, "has_lab": False,
            "canonical": absolute(site, out), "og_image": None, "description": site["description"]}
    base.update(ctx)
    return env.get_template(template).render(**base)


def og_image(site: dict, page_out: str, card_out: str | None) -> str | None:
    """The social card: absolute when the site's URL is known (crawlers need it), else page-relative."""
    if not card_out:
        return None
    return site["url"] + card_out if site["url"] else posixpath.relpath(card_out, posixpath.dirname(page_out) or ".")
