"""Atom feed, sitemap.xml and robots.txt. Dates come from front matter (or SOURCE_DATE_EPOCH), never from the
clock, so two builds of the same inputs are byte-identical."""
from __future__ import annotations

import datetime as dt
import os
import uuid
from xml.sax.saxutils import escape, quoteattr


def epoch_date() -> dt.datetime:
    seconds = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


def stamp(value) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{value.isoformat()}T00:00:00Z"


def public_url(site: dict, out: str) -> str:
    """Absolute and pretty (posts/x/) when the site's URL is known; else relative to the site root."""
    if not site["url"]:
        return out
    return site["url"] + (out[: -len("index.html")] if out.endswith("index.html") else out)


_url = public_url


def _id(site: dict, out: str) -> str:
    """Stable ids: the absolute URL when known, else a name-based UUID (same inputs, same id)."""
    if site["url"]:
        return public_url(site, out)
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site['title']}/{out}"))


def atom(site: dict, posts: list) -> str:
    """`posts` newest first. Relative links resolve against the feed's own URL (RFC 4287, xml:base)."""
    updated = max((p.meta.get("updated", p.meta["date"]) for p in posts), default=None)
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom">',
             f"<title>{escape(site['title'])}</title>",
             f"<subtitle>{escape(site['description'])}</subtitle>",
             f"<link rel=\"alternate\" href={quoteattr(_url(site, 'index.html'))}/>",
             f"<link rel=\"self\" href={quoteattr(_url(site, 'feed.xml'))}/>",
             f"<id>{escape(_id(site, 'feed.xml'))}</id>",
             f"<updated>{stamp(updated if updated else epoch_date())}</updated>",
             f"<author><name>{escape(site['author'] or site['title'])}</name></author>"]
    for p in posts:
        lines += ["<entry>",
                  f"<title>{escape(p.meta['title'])}</title>",
                  f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(_url(site, p.out))}/>",
                  f"<id>{escape(_id(site, p.out))}</id>",
                  f"<published>{stamp(p.meta['date'])}</published>",
                  f"<updated>{stamp(p.meta.get('updated', p.meta['date']))}</updated>",
                  f"<summary>{escape(p.meta['summary'])}</summary>"]
        lines += [f"<category term={quoteattr(t)}/>" for t in p.meta.get("tags", [])]
        lines.append("</entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def sitemap(site: dict, pages: list[tuple[str, object]]) -> str:
    """pages: [(site-relative path, date or None)]."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for out, date in pages:
        lastmod = f"<lastmod>{date.isoformat()}</lastmod>" if date else ""
        lines.append(f"<url><loc>{escape(_url(site, out))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(site: dict) -> str:
    text = "User-agent: *\nAllow: /\n"
    if site["url"]:
        text += f"Sitemap: {site['url']}sitemap.xml\n"
    return text
