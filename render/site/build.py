"""The site stage's entry point: build_site(settings, bundle, media, out_dir).

Reads every markdown file under settings.content_dir, renders posts, lab entries and pages with their figures,
then the index, lab index, 404, Atom feed, sitemap, robots.txt, favicon, social cards and static assets, and
finally checks every internal link. Author mistakes raise BuildError(message, file, line)."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import BuildError

from . import assets, config, feeds, frames, links, markup, pages, socialcard, sources
from .figures import FigureSet

MORE_POSTS = 3


@dataclass
class Site:
    settings: object
    config: dict
    bundle: dict
    figures: FigureSet
    env: object
    out_dir: Path
    sources: list
    posts: list          # newest first
    lab: list            # by order, then title
    md_map: dict         # content-relative .md -> site-relative .html


def _write(out_dir: Path, rel: str, data: str | bytes) -> None:
    path = out_dir / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def _figure_renderer(site: Site, root: str):
    template = site.env.get_template("figure.html")

    def render_figure(fig_id: str, opts: dict, key: str | None) -> str:
        fig = site.figures.figures[fig_id]
        # Videos wait for the reader's tap unless the author asks (autoplay=true): a phone on a slow
        # network should not download a clip because it scrolled past it.
        autoplay = opts["autoplay"]
        if autoplay is None and fig.video:
            autoplay = bool(fig.video.get("autoplay", False))
        state = dict(zip(fig.keys, key.split("|"))) if key else {}
        return template.render(fig=fig, root=root, key=key, state=state, wide=opts["wide"],
                               autoplay=autoplay, lang=site.config["language"],
                               caption=opts["caption"] or fig.manifest.get("caption", "")).strip()
    return render_figure


def _cover_image(site: Site, src, used: list[str]) -> Path | None:
    """The picture a social card is made from: the cover figure (else the page's first figure with media):
    its video poster or raster poster if it has one, else its default SVG frame."""
    cover = src.meta.get("cover")
    if cover is not None and cover not in site.figures.valid_ids():
        raise BuildError(f"front matter 'cover: {cover}' is not a figure id; valid ids: "
                         f"{', '.join(site.figures.valid_ids())}", src.path, src.extra["lines"].get("cover"))
    for fig_id in ([cover] if cover else []) + used:
        fig = site.figures.figures.get(fig_id)
        if fig is None:
            continue
        picture = (fig.video or {}).get("poster") or fig.manifest.get("poster")
        if not picture and fig.frames:
            picture = fig.frames[str(fig.manifest.get("default", fig.key_for({})))]["src"]
        if picture and (site.out_dir / picture).is_file():
            return site.out_dir / picture
    return None


def _social_card(site: Site, src, used: list[str]) -> str:
    card = src.out.rsplit("/", 1)[0] + "/card.png"
    _write(site.out_dir, card, socialcard.cached(site.settings.cache_dir, src.meta["title"],
                                                 site.config["title"], _cover_image(site, src, used)))
    return card


def _page(site: Site, src) -> tuple[str, list]:
    root = pages.root_for(src.out)
    ctx = markup.PageContext(src.path, src.body_line, site.bundle, site.figures,
                             _figure_renderer(site, root), site.md_map, src.rel)
    body, toc = markup.convert(src.body, ctx)
    card = _social_card(site, src, ctx.used) if src.kind in ("post", "lab") else None
    more = [p for p in site.posts if p is not src][:MORE_POSTS] if src.kind == "post" else []
    lab = [e for e in site.lab if e is not src][:MORE_POSTS]
    html = pages.render(site.env, "post.html", src.out, site.config, page=src, body=body, toc=toc,
                        more=more, lab=lab, player=bool(ctx.used), has_lab=bool(site.lab),
                        title=f"{src.meta['title']} · {site.config['title']}",
                        description=src.meta.get("summary") or site.config["description"],
                        og_type="article" if src.kind == "post" else "website",
                        og_image=pages.og_image(site.config, src.out, card))
    return html, links.extract(src.body, src.body_line)


def _indexes(site: Site) -> dict[str, str]:
    common = {"has_lab": bool(site.lab)}
    out = {
        "index.html": pages.render(site.env, "index.html", "index.html", site.config, posts=site.posts,
                                   lab=site.lab[:MORE_POSTS], title=site.config["title"], **common),
        "404.html": pages.render(site.env, "404.html", "404.html", site.config, root=pages.root_path(site.config),
                                 title=f"Page not found · {site.config['title']}", **common),
    }
    if site.lab:
        out["lab/index.html"] = pages.render(site.env, "lab_index.html", "lab/index.html", site.config,
                                             lab=site.lab, title=f"The lab · {site.config['title']}", **common)
    return out


def _feeds(site: Site, written: list[str]) -> None:
    dates = {s.out: s.meta.get("updated", s.meta.get("date")) for s in site.sources}
    listed = [p for p in written if p != "404.html"]
    _write(site.out_dir, "feed.xml", feeds.atom(site.config, site.posts))
    _write(site.out_dir, "sitemap.xml", feeds.sitemap(site.config, [(p, dates.get(p)) for p in sorted(listed)]))
    _write(site.out_dir, "robots.txt", feeds.robots(site.config))


def _copy_content_assets(site: Site) -> None:
    """Copy content/ files that are not markdown to the same place in the site; never over a built file."""
    content = site.settings.content_dir
    for path in sources.asset_files(content):
        dest = site.out_dir / path.relative_to(content)
        if dest.exists():
            raise BuildError(f"this file would overwrite the site's own {dest.relative_to(site.out_dir).as_posix()}"
                             "; rename or move it", sources.shown(path))
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)


def _check_media(site: Site) -> None:
    """Every video, poster and caption file a manifest names must be in the site (frames: frames.pack)."""
    for fig_id, fig in site.figures.figures.items():
        for field in ("src", "poster", "captions"):
            rel = (fig.video or {}).get(field)
            if rel and not (site.out_dir / rel).is_file():
                raise BuildError(f"figure '{fig_id}': its video {field} {rel} is missing from the site "
                                 "(a damaged render cache? delete .cache/render and rebuild)",
                                 f"render/figures/{fig_id.replace('-', '_')}.py")


def _check_links(site: Site, html: dict[str, str], found: dict) -> None:
    ids = {out: links.page_ids(text) for out, text in html.items()}
    by_out = {s.out: s for s in site.sources}
    for out, page_links in found.items():
        src = by_out[out]
        for link in page_links:
            links.check_one(link, src.path, src.rel, out, site.md_map, ids, site.out_dir)


def _pack_frames(figures: FigureSet, out_dir: Path, cache_dir: Path) -> list[str]:
    styles: list[str] = []
    for fig_id, fig in figures.figures.items():
        if fig.frames:
            styles += [s for s in frames.pack(fig_id, fig.frames, out_dir, cache_dir) if s not in styles]
    return styles


def _stamp_mtimes(out_dir: Path) -> None:
    """With SOURCE_DATE_EPOCH set, every file gets that mtime too (reproducible archives)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return
    for path in sorted(out_dir.rglob("*")):
        os.utime(path, (int(epoch), int(epoch)), follow_symlinks=False)


def _load(settings, bundle: dict, media: dict, out_dir: Path) -> Site:
    cfg = config.load(settings.content_dir)
    srcs = sources.discover(settings.content_dir, settings.drafts)
    posts = sorted((s for s in srcs if s.kind == "post"), key=lambda s: (s.meta["date"], s.rel), reverse=True)
    lab = sorted((s for s in srcs if s.kind == "lab"), key=lambda s: (s.meta.get("order", 0), s.meta["title"]))
    return Site(settings, cfg, bundle, FigureSet(media), pages.environment(settings.cache_dir), out_dir, srcs,
                posts, lab,
                {s.rel: s.out for s in srcs})


def build_site(settings, bundle: dict, media: dict[str, dict], out_dir: Path) -> None:
    out_dir = Path(out_dir)
    site = _load(settings, bundle, media, out_dir)
    _check_media(site)
    styles = _pack_frames(site.figures, out_dir, settings.cache_dir)
    html, found = {}, {}
    for src in site.sources:
        html[src.out], found[src.out] = _page(site, src)
    html.update(_indexes(site))
    for out, text in sorted(html.items()):
        _write(out_dir, out, text)
    assets.write(out_dir, styles)
    _feeds(site, sorted(html))
    _copy_content_assets(site)
    _check_links(site, html, found)
    _stamp_mtimes(out_dir)
