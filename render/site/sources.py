"""Finding and reading the markdown sources: posts/, lab/ and plain pages, with drafts filtered out."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import BuildError

from . import frontmatter

KINDS = {"posts": ("post", frontmatter.POST_SCHEMA), "lab": ("lab", frontmatter.LAB_SCHEMA)}
SKIP_DIRS = {".git", "__pycache__"}
MAX_BYTES = 1_000_000  # a source this big is a pasted dump, not an essay: it would build a page far over the
                       # 60 kB first-view budget, and markdown on it takes minutes


@dataclass
class Source:
    path: Path            # the markdown file, as named in error messages (relative to the cwd if inside)
    rel: str              # posix path relative to content/, e.g. "posts/attention.md"
    kind: str             # "post", "lab" or "page"
    meta: dict            # validated front matter
    body: str
    body_line: int        # file line of the body's first line
    extra: dict = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return Path(self.rel).stem

    @property
    def out(self) -> str:
        """Output path relative to the site root: posts/x.md -> posts/x/index.html (pretty URLs; pages link to
        the index.html explicitly so the site also works from file://)."""
        return posixpath.join(posixpath.dirname(self.rel), self.slug, "index.html")

    @property
    def draft(self) -> bool:
        return bool(self.meta.get("draft", False))


def read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise BuildError(f"file is {size / 1e6:.1f} MB; a source may be at most {MAX_BYTES / 1e6:.0f} MB "
                         f"({MAX_BYTES:,} bytes): split it into several pages or move data out of the prose",
                         shown(path), None)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise BuildError(f"file is not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
                         "save it as UTF-8", path, line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _kind(rel: str) -> tuple[str, dict]:
    top = rel.split("/", 1)[0] if "/" in rel else ""
    return KINDS.get(top, ("page", frontmatter.PAGE_SCHEMA))


def shown(path: Path) -> Path:
    """How a file is named in error messages: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def load(path: Path, content_dir: Path) -> Source:
    rel = path.relative_to(content_dir).as_posix()
    path = shown(path)
    if not frontmatter.SLUG.match(path.stem):
        raise BuildError(f"file name '{path.name}' must be lowercase letters, digits and '-' "
                         "(it becomes the page's URL)", path, None)
    text = read_text(content_dir / rel)
    if not text.strip():
        raise BuildError("file is empty; a page needs front matter (title, summary, ...) and a body", path, 1)
    kind, schema = _kind(rel)
    fm = frontmatter.parse(text, path, schema)
    return Source(path, rel, kind, fm.data, fm.body, fm.body_line, {"lines": fm.lines})


def _markdown_files(content_dir: Path) -> list[Path]:
    return sorted(p for p in content_dir.rglob("*.md")
                  if not SKIP_DIRS & set(p.relative_to(content_dir).parts) and p.is_file())


def discover(content_dir: Path, drafts: bool) -> list[Source]:
    """Every page to build, sorted by path; drafts only when asked for."""
    sources = [load(p, content_dir) for p in _markdown_files(content_dir)]
    seen: dict[str, Source] = {}
    for src in sources:
        if src.out in ("index.html", "404.html", "lab/index.html") or src.out in seen:
            other = seen[src.out].path if src.out in seen else "a generated page"
            raise BuildError(f"this page would be written to {src.out}, which {other} also writes", src.path)
        seen[src.out] = src
    return [s for s in sources if drafts or not s.draft]


def asset_files(content_dir: Path) -> list[Path]:
    """Non-markdown files under content/ (images, downloads): copied to the same place in the site."""
    return sorted(p for p in content_dir.rglob("*") if p.is_file() and p.suffix != ".md"
                  and p.name != "site.yml" and not p.name.startswith(".")
                  and not SKIP_DIRS & set(p.relative_to(content_dir).parts))
