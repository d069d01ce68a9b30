"""Markdown -> HTML for one page: Python-Markdown plus our preprocessor, which handles, outside code,
TeX math ($...$, $$...$$), live numbers ({{ key | fmt }}), figure directives and ::: callouts, turning each
into finished HTML that markdown never sees (so TeX keeps its _ * \\ { })."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import markdown
import markdown.extensions.codehilite
import markdown.extensions.toc
from markdown.extensions.toc import slugify_unicode
from markdown.preprocessors import Preprocessor

from pipeline.errors import BuildError

from . import directives, livenumbers, mathml, mathfigures
from .scan import lines_outside_fences, split_code_spans
from .treeprocessors import PageTreeprocessor

INLINE = re.compile(r"""(?P<esc>\\\$)
    |\{\{(?!<)(?P<live>.*?)\}\}
    |(?<![\\$\w])\$(?![\s$])(?P<math>(?:\\.|[^\\$])+?)(?<![\s\\])\$(?![\d$])""", re.X)
LIVE_IN_TEX = re.compile(r"\{\{(.*?)\}\}")
PRE_OPEN = re.compile(r"<pre(?=[\s>])(?![^>]*\stabindex=)")
CALLOUT_OPEN = re.compile(r"^:::\s*([A-Za-z][\w-]*)\s*(.*?)\s*$")
CALLOUT_CLOSE = re.compile(r"^:::\s*$")
CALLOUT_KINDS = ("callout", "aside", "note", "thought", "teaser")
RESERVED_IDS = {"main", "top", "contents", "more", "lab"}
# A box that scrolls sideways must be reachable by keyboard (axe: scrollable-region-focusable); a name and a
# role make the extra tab stop make sense to a screen reader.
SCROLLER = 'tabindex="0" role="group" aria-label="{}"'
MATH_OPEN = f'<div class="math-display" {SCROLLER.format("equation")}>'


@dataclass
class PageContext:
    path: Path                 # source file, for error messages
    first_line: int            # file line number of the body's first line
    bundle: dict
    figures: object            # FigureSet
    render_figure: object      # callable(fig_id, opts, key) -> html
    md_map: dict               # content-relative .md path -> site-relative .html path (built pages)
    rel: str                   # this page's content-relative path
    used: list = field(default_factory=list)  # figure ids in page order


class Protect(Preprocessor):
    def __init__(self, md, ctx: PageContext):
        super().__init__(md)
        self.ctx = ctx

    def err(self, msg: str, i: int):
        return BuildError(msg, self.ctx.path, self.ctx.first_line + i)

    def block(self, html: str, indent: str = "") -> list[str]:
        return ["", indent + self.md.htmlStash.store(html), ""]

    def tex(self, tex: str, display: bool, i: int) -> str:
        tex = LIVE_IN_TEX.sub(lambda m: livenumbers.text(self.ctx.bundle, m.group(1), self.ctx.path,
                                                         self.ctx.first_line + i), tex)
        return mathml.convert(tex, display, self.ctx.path, self.ctx.first_line + i)

    def inline(self, text: str, i: int) -> str:
        def sub(m: re.Match) -> str:
            if m.group("esc"):
                return "$"
            if m.group("live") is not None:
                html = livenumbers.html(self.ctx.bundle, m.group("live"), self.ctx.path, self.ctx.first_line + i)
            else:
                html = self.tex(m.group("math"), False, i)
            return self.md.htmlStash.store(html)
        out = INLINE.sub(sub, text)
        if "{{" in out:
            raise self.err("'{{' opens a live number (or '{{<' a directive on its own line) that is not "
                           "closed on this line; write {{ key | format }}", i)
        return out

    def text_line(self, line: str, i: int) -> str:
        return "".join(seg if code else self.inline(seg, i) for code, seg in split_code_spans(line))

    def display_math(self, lines: list[str], i: int) -> tuple[str, int]:
        """TeX of a $$ block starting at line i; returns (tex, index of its last line)."""
        first = lines[i].strip()[2:]
        if first.rstrip().endswith("$$") and first.strip() != "":
            return first.rstrip()[:-2], i
        parts = [first]
        for j in range(i + 1, len(lines)):
            if lines[j].rstrip().endswith("$$"):
                parts.append(lines[j].rstrip()[:-2])
                return "\n".join(parts), j
            parts.append(lines[j])
        raise self.err("display math opened with '$$' is never closed; end it with '$$'", i)

    def figure(self, inner: str, i: int) -> str:
        ctx = self.ctx
        d = directives.parse(inner, ctx.path, ctx.first_line + i)
        opts = directives.validate(d, ctx.figures.valid_ids(), ctx.figures.params_of, ctx.path)
        if d.fig_id in ctx.used:
            raise self.err(f"figure '{d.fig_id}' is already on this page (its id must be unique)", i)
        key = ctx.figures.check_start(d.fig_id, opts["start"], ctx.path, ctx.first_line + i)
        ctx.used.append(d.fig_id)
        if d.fig_id in mathfigures.FIGURES and d.fig_id not in ctx.figures.figures:
            spec = mathfigures.FIGURES[d.fig_id]
            return (f'<figure class="fig fig-math" id="{d.fig_id}">{MATH_OPEN}'
                    f'{self.tex(spec["tex"], True, i)}</div><figcaption>'
                    f'{escape(opts["caption"] or spec["caption"])}</figcaption></figure>')
        return ctx.render_figure(d.fig_id, opts, key)

    def callout(self, m: re.Match, stack: list, i: int) -> list[str]:
        kind, title = m.group(1), m.group(2)
        if kind not in CALLOUT_KINDS:
            raise self.err(f"unknown block '::: {kind}'; blocks are: {', '.join(CALLOUT_KINDS)}", i)
        stack.append(i)
        head = f'<p class="callout-title">{escape(title)}</p>' if title else ""
        # a <div role="note">, not an <aside>: an aside inside <main> is a complementary landmark that is not
        # top level (axe: landmark-complementary-is-top-level)
        return ["", f'<div class="callout callout-{kind}" role="note" markdown="1">', head, ""]

    def run(self, lines: list[str]) -> list[str]:
        flags = [code for _, _, code in lines_outside_fences(lines)]
        out, stack, i = [], [], 0
        while i < len(lines):
            line = lines[i]
            if flags[i]:
                out.append(line)
            elif line.strip().startswith("$$"):
                tex, j = self.display_math(lines, i)
                html = f'{MATH_OPEN}{self.tex(tex, True, i)}</div>'
                out += self.block(html, line[: len(line) - len(line.lstrip())])
                i = j
            elif (inner := directives.match(line)) is not None:
                out += self.block(self.figure(inner, i))
            elif m := CALLOUT_OPEN.match(line):
                out += self.callout(m, stack, i)
            elif CALLOUT_CLOSE.match(line):
                if not stack:
                    raise self.err("':::' closes a block that was never opened", i)
                stack.pop()
                out += ["", "</div>", ""]
            else:
                out.append(self.text_line(line, i))
            i += 1
        if stack:
            raise self.err("block opened with ':::' is never closed; end it with a line ':::'", stack[-1])
        return out


class PageExtension(markdown.Extension):
    def __init__(self, ctx: PageContext):
        super().__init__()
        self.ctx = ctx

    def extendMarkdown(self, md):
        md.preprocessors.register(Protect(md, self.ctx), "ssg-protect", 25)
        md.treeprocessors.register(PageTreeprocessor(md, self.ctx), "ssg-tree", 8)


def _slugify(ctx: PageContext):
    def slugify(value: str, sep: str) -> str:
        slug = slugify_unicode(value, sep) or "section"
        return f"{slug}{sep}section" if slug in RESERVED_IDS or slug in ctx.used else slug
    return slugify


def convert(body: str, ctx: PageContext) -> tuple[str, list]:
    """Returns (html, toc tokens)."""
    md = markdown.Markdown(extensions=[
        PageExtension(ctx), "md_in_html", "footnotes", "tables", "fenced_code", "attr_list", "smarty",
        "sane_lists", markdown.extensions.toc.TocExtension(slugify=_slugify(ctx), permalink="#",
                                                           permalink_title="Link to this section"),
        markdown.extensions.codehilite.CodeHiliteExtension(css_class="code", guess_lang=False),
    ])
    html = PRE_OPEN.sub(f"<pre {SCROLLER.format('code')}", md.convert(body))
    return html, md.toc_tokens
