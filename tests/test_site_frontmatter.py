"""Front matter: schema validation, and every error names the file and the line."""
from __future__ import annotations

import pytest

from pipeline.errors import BuildError
from render.site import frontmatter, sources
from render.site.frontmatter import POST_SCHEMA


def parse(text: str):
    return frontmatter.parse(text, "content/posts/p.md", POST_SCHEMA)


GOOD = "---\ntitle: T\nsummary: S\ndate: 2026-01-02\ntags: [a, b]\n---\n\nBody line\n"


def test_valid_front_matter_and_body_line():
    fm = parse(GOOD)
    assert fm.data["title"] == "T" and fm.data["tags"] == ["a", "b"]
    assert fm.body_line == 7 and fm.body.split("\n")[1] == "Body line"


@pytest.mark.parametrize("text, line, words", [
    ("title: T\n", 1, "must start with a line '---'"),
    ("---\ntitle: T\n", 1, "not closed"),
    ("---\ntitle: T\nsummary: S\n---\n", 1, "missing 'date'"),
    ("---\nsummary: S\ndate: 2026-01-02\n---\n", 1, "missing 'title'"),
    ("---\ntitle: T\nsummary: S\ndate: yesterday\n---\n", 4, "'date' must be a date"),
    ("---\ntitle: T\nsummary: S\ndate: 2026-01-02\ndraft: maybe\n---\n", 5, "'draft' must be true or false"),
    ("---\ntitle: 3\nsummary: S\ndate: 2026-01-02\n---\n", 2, "'title' must be a non-empty string"),
    ("---\ntitle: ''\nsummary: S\ndate: 2026-01-02\n---\n", 2, "'title' must be a non-empty string"),
    ("---\ntitle: T\nsummary: S\ndate: 2026-01-02\ntags: [1, 2]\n---\n", 5, "'tags' must be a list"),
    ("---\ntitle: T\nsummary: S\ndate: 2026-01-02\ntitel: x\n---\n", 5, "unknown front matter key 'titel'"),
    ("---\ntitle: T\nsummary: [unclosed\ndate: 2026-01-02\n---\n", 4, "malformed YAML"),
    ("---\ntitle: T\n  bad: indent\n---\n", 3, "malformed YAML"),
    ("---\n- a list\n---\n", 2, "must be a mapping"),
])
def test_errors_name_file_and_line(text, line, words):
    with pytest.raises(BuildError) as info:
        parse(text)
    assert str(info.value).startswith(f"content/posts/p.md:{line}: "), str(info.value)
    assert words in str(info.value)


def test_unknown_key_lists_the_expected_keys():
    with pytest.raises(BuildError, match="expected one of: title, summary, date"):
        parse("---\ntitle: T\nsummery: S\n---\n")


def test_non_utf8_empty_and_bad_names(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    bad = posts / "latin.md"
    bad.write_bytes(b"---\ntitle: caf\xe9\n---\n")
    with pytest.raises(BuildError, match=r"latin\.md:2: file is not valid UTF-8"):
        sources.load(bad, tmp_path)
    empty = posts / "empty.md"
    empty.write_text("  \n")
    with pytest.raises(BuildError, match=r"empty\.md:1: file is empty"):
        sources.load(empty, tmp_path)
    upper = posts / "Bad Name.md"
    upper.write_text(GOOD)
    with pytest.raises(BuildError, match="must be lowercase"):
        sources.load(upper, tmp_path)


def test_lab_entries_have_their_own_schema(tmp_path):
    lab = tmp_path / "lab"
    lab.mkdir()
    (lab / "x.md").write_text("---\ntitle: X\nsummary: S\n---\nBody\n")
    with pytest.raises(BuildError, match=r"x\.md:1: front matter is missing 'effect'"):
        sources.load(lab / "x.md", tmp_path)


def test_drafts_are_filtered_unless_asked(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.md").write_text(GOOD)
    (posts / "b.md").write_text(GOOD.replace("tags: [a, b]", "draft: true"))
    assert [s.slug for s in sources.discover(tmp_path, drafts=False)] == ["a"]
    assert [s.slug for s in sources.discover(tmp_path, drafts=True)] == ["a", "b"]
