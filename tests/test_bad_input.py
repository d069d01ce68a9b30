"""A catalogue of mistakes an author (or a crash) can make. Each one must stop the build with a BuildError whose
message names the file (and the line where there is one), and leave site/ byte for byte as it was.

Every case runs the real driver (pipeline.build.build) on a copy of the essay's content, against the session's
tiny build: its cache is shared (model and media are reused, so a case costs about one page-stage run) and its
site/ is copied per case. Cases that damage the cache get a private copy of it."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.errors import BuildError
from pipeline.settings import ROOT


@dataclass
class Env:
    content: Path
    cache: Path
    site: Path

    @property
    def essay(self) -> Path:
        return sorted((self.content / "posts").glob("*.md"))[0]


def tree_digest(root: Path) -> dict[str, str]:
    """relative path -> sha256 of every file (and every directory, as '<dir>') under root."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<dir>"
    return out


def make_env(tiny_build, tmp: Path, private_cache: bool = False) -> tuple[Env, object]:
    settings = tiny_build[0]
    env = Env(tmp / "content", tmp / "cache" if private_cache else settings.cache_dir, tmp / "site")
    shutil.copytree(settings.content_dir, env.content)
    shutil.copytree(settings.site_dir, env.site, symlinks=True)
    if private_cache:
        shutil.copytree(settings.cache_dir, env.cache, symlinks=True)
    return env, replace(settings, content_dir=env.content, cache_dir=env.cache, site_dir=env.site)


# --- edits ---------------------------------------------------------------------------------------------

def body_append(env: Env, text: str, path: Path | None = None) -> tuple[Path, int]:
    """Append text after the essay's body; returns (file, line of the text's first line)."""
    path = path or env.essay
    old = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(old + "\n\n" + text + "\n", encoding="utf-8")
    return path, old.count("\n") + 3


def fm_replace(env: Env, old: str, new: str) -> Path:
    text = env.essay.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    assert old in head, f"front matter has no {old!r}"
    env.essay.write_text(head.replace(old, new, 1) + sep + body, encoding="utf-8")
    return env.essay


def fm_set(env: Env, key: str, value: str) -> tuple[Path, int]:
    """Replace the whole `key: ...` line of the essay's front matter."""
    lines = env.essay.read_text(encoding="utf-8").split("\n")
    i = fm_line(env, key) - 1
    lines[i] = f"{key}: {value}"
    env.essay.write_text("\n".join(lines), encoding="utf-8")
    return env.essay, i + 1


def fm_line(env: Env, key: str) -> int:
    lines = env.essay.read_text(encoding="utf-8").split("\n")
    return next(i + 1 for i, ln in enumerate(lines) if ln.startswith(f"{key}:"))


def new_post(env: Env, name: str, text: str | bytes) -> Path:
    path = env.content / "posts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


GOOD_FM = "---\ntitle: Another post\nsummary: A second post.\ndate: 2026-01-01\n---\n"


# --- the catalogue: name -> edit(env) returning (file the message must name, line or None) ---------------

def _unclosed_bracket(env):
    """YAML notices an unclosed '[' on a later line; the line of the '[' or the next one are both fine."""
    line = fm_line(env, "title")
    return fm_replace(env, "title: ", "title: [unclosed "), (line, line + 1)


def _body_case(text: str):
    return lambda env: body_append(env, text)


def _first_figure(env: Env) -> str:
    import re
    return re.search(r"\{\{<\s*figure\s+([a-z0-9-]+)", env.essay.read_text()).group(1)


def _fig_param(param: str):
    return lambda env: body_append(env, "{{< figure %s %s >}}" % (_first_figure(env), param))


def _asset_over_page(env: Env) -> Path:
    """A file under content/ that would be copied over the essay's own built page."""
    asset = env.content / "posts" / env.essay.stem / "index.html"
    asset.parent.mkdir()
    asset.write_text("<p>an asset</p>")
    return asset


CONTENT_CASES = {
    "fm-no-opening-dashes": lambda env: (env.essay.write_text(env.essay.read_text().split("\n", 1)[1])
                                         and env.essay, 1),
    "fm-never-closed": lambda env: (new_post(env, "unclosed.md", "---\ntitle: x\nsummary: y\n\nbody\n"), 1),
    "fm-malformed-yaml": _unclosed_bracket,
    "fm-missing-title": lambda env: (new_post(env, "untitled.md", "---\nsummary: s\ndate: 2026-01-01\n---\nx\n"),
                                     None),
    "fm-title-wrong-type": lambda env: fm_set(env, "title", "3"),
    "fm-date-malformed": lambda env: fm_set(env, "date", "03/12/2026"),
    "fm-unknown-key": lambda env: (new_post(env, "typo.md", GOOD_FM.replace("date:", "titel: x\ndate:")), 4),
    "fm-tags-not-list": lambda env: (new_post(env, "tags.md", GOOD_FM.replace("date:", "tags: 5\ndate:")), 4),
    "fm-draft-not-bool": lambda env: (new_post(env, "draft.md", GOOD_FM.replace("date:", "draft: maybe\ndate:")),
                                      4),
    "fm-not-a-mapping": lambda env: (new_post(env, "list.md", "---\n- a\n- b\n---\nbody\n"), None),
    "fm-empty-summary": lambda env: (new_post(env, "nosum.md", GOOD_FM.replace("A second post.", '""')), 3),
    "fm-cover-not-a-figure": lambda env: (new_post(env, "cover.md", GOOD_FM.replace("date:", "cover: nope\ndate:")),
                                          4),
    "directive-unknown-figure": _body_case("{{< figure no-such-figure >}}"),
    "directive-unknown-kind": _body_case("{{< video embedding-map >}}"),
    "directive-no-id": _body_case("{{< figure >}}"),
    "directive-unknown-param": _fig_param("colour=red"),
    "directive-param-bad-bool": _fig_param("wide=maybe"),
    "directive-unbalanced-quote": _fig_param('caption="never closed'),
    "directive-param-twice": _fig_param("wide=true wide=false"),
    "directive-param-no-value": _fig_param("wide"),
    "live-unknown-key": _body_case("Value {{ claims.no-such-claim.value }}."),
    "live-not-a-scalar": _body_case("Value {{ claims }}."),
    "live-bad-format": _body_case("Value {{ provenance.steps | .2q }}."),
    "live-empty": _body_case("Value {{ }}."),
    "live-malformed-key": _body_case("Value {{ claims..value }}."),
    "live-index-out-of-range": _body_case("Value {{ figures.analogy.analogies.999.cos }}."),
    "math-unclosed-brace": _body_case("Inline $\\frac{a}{b$ math."),
    "math-unknown-command": _body_case("$$\n\\notacommand{x}\n$$"),
    "math-empty": _body_case("$$\n   \n$$"),
    "math-frac-missing-argument": _body_case("$$\n\\frac{1}\n$$"),
    "link-missing-page": _body_case("See [this](no-such-post.md)."),
    "link-broken-anchor": _body_case("See [this](#no-such-heading)."),
    "link-absolute-path": _body_case("See [this](/posts/x/index.html)."),
    "link-missing-image": _body_case("![a chart](img/missing.png)"),
    "link-raw-html-missing": _body_case('<a href="nowhere.html">raw</a>'),
    "slug-bad-file-name": lambda env: (new_post(env, "Bad Name.md", GOOD_FM + "x\n"), None),
    "slug-page-shadowed-by-asset": lambda env: (_asset_over_page(env), None),
    "file-not-utf8": lambda env: (new_post(env, "latin.md", GOOD_FM.encode() + b"line two\ncaf\xe9\n"), 7),
    "file-empty": lambda env: (new_post(env, "empty.md", b""), None),
    "file-whitespace-only": lambda env: (new_post(env, "blank.md", "\n   \n\t\n"), None),
    "site-yml-malformed": lambda env: ((env.content / "site.yml").write_text("title: [x\nlanguage: en\n")
                                       and env.content / "site.yml", None),
    "site-yml-wrong-type": lambda env: ((env.content / "site.yml").write_text("title: 5\nlanguage: en\n")
                                        and env.content / "site.yml", None),
}


def _run_case(tiny_build, tmp_path, edit, private_cache=False) -> tuple[BuildError, object]:
    env, settings = make_env(tiny_build, tmp_path, private_cache)
    before = tree_digest(env.site)
    file, line = edit(env)
    with pytest.raises(BuildError) as err:
        build(settings, lambda *_: None)
    assert tree_digest(env.site) == before, "site/ changed although the build failed"
    message = str(err.value)
    assert Path(file).name in message, f"message does not name {Path(file).name}: {message}"
    lines = line if isinstance(line, tuple) else (line,)
    if line is not None:
        assert any(f":{n}:" in message for n in lines), f"message does not name line {line}: {message}"
    return err.value, env


@pytest.mark.parametrize("name", sorted(CONTENT_CASES))
def test_bad_content(name, tiny_build, tmp_path):
    _run_case(tiny_build, tmp_path, CONTENT_CASES[name])


# --- damaged cache: each gets a private copy of the cache ------------------------------------------------

def _bundle(env: Env) -> Path:
    return sorted(env.cache.glob("bundle/*/bundle.json"))[0]


def _render_entry(env: Env, name: str) -> Path:
    return sorted(p.parent for p in env.cache.glob("render/*/*/manifest.json") if (p.parent / name).exists())[0]


def _truncate(path: Path) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _drop_figure(env: Env):
    path = _bundle(env)
    bundle = json.loads(path.read_text())
    fig_id = sorted(bundle["figures"])[0]
    del bundle["figures"][fig_id]
    path.write_text(json.dumps(bundle))
    return f"{fig_id.replace('-', '_')}.py", None


def _truncate_checkpoint(env: Env) -> tuple[Path, None]:
    """A half-written model.pt behind a .complete marker (a disk fault, or someone's hand): the build must not
    retrain over it silently nor crash inside torch, but name the file."""
    for bundle in env.cache.glob("bundle/*"):
        shutil.rmtree(bundle)
    ckpt = sorted(p for p in env.cache.glob("model/*/model.pt") if (p.parent / ".complete").exists())[0]
    return _truncate(ckpt), None


CACHE_CASES = {
    "checkpoint-truncated": _truncate_checkpoint,
    "missing-data-for-a-figure": _drop_figure,
    "bundle-truncated": lambda env: (_truncate(_bundle(env)), None),
    "render-manifest-truncated": lambda env: (_truncate(_render_entry(env, "manifest.json") / "manifest.json"),
                                              None),
    "render-frame-missing": lambda env: ((_render_entry(env, "f000.svg") / "f000.svg").unlink() or "f000.svg",
                                         None),
    "render-video-missing": lambda env: ((_render_entry(env, "video.mp4") / "video.mp4").unlink() or "video.mp4",
                                         None),
}


@pytest.mark.parametrize("name", sorted(CACHE_CASES))
def test_damaged_cache(name, tiny_build, tmp_path):
    _run_case(tiny_build, tmp_path, CACHE_CASES[name], private_cache=True)


def _huge_post(env: Env) -> Path:
    """A 2 MB post of seeded random words (a pasted dump that gzip cannot shrink to nothing)."""
    import random
    rng = random.Random(7)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(5000)]
    paras = [" ".join(rng.choice(words) for _ in range(120)) for _ in range(2_000_000 // 700)]
    return new_post(env, "huge.md", GOOD_FM + "\n\n".join(paras) + "\n")


@pytest.mark.slow
def test_huge_file_does_not_hang(tiny_build, tmp_path):
    """Whatever the build decides about a 2 MB post, it decides within a minute, and a failure names it."""
    import time
    env, settings = make_env(tiny_build, tmp_path)
    path = _huge_post(env)
    t0 = time.perf_counter()
    try:
        build(settings, lambda *_: None)
    except BuildError as err:
        assert path.name in str(err)
    assert time.perf_counter() - t0 < 60


@pytest.mark.slow
def test_huge_file_is_refused(tiny_build, tmp_path):
    _run_case(tiny_build, tmp_path, lambda env: (_huge_post(env), None))


def test_command_line_exit_code_and_message(tiny_build, tmp_path):
    """The same as a user sees it: `python -m pipeline build` exits 1 with 'error: <file>:<line>: ...'."""
    env, settings = make_env(tiny_build, tmp_path)
    before = tree_digest(env.site)
    path, line = body_append(env, "{{< figure no-such-figure >}}")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build"], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, SSG_PROFILE=settings.profile, SSG_CONTENT=str(env.content),
                                   SSG_CACHE=str(env.cache), SSG_SITE=str(env.site)))
    assert proc.returncode == 1, proc.stderr
    assert f"{path.name}:{line}:" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert tree_digest(env.site) == before
