"""Registry files: slugs, URL schemes and where local sources may be read from."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from sources.registry import RegistryError, load_registry

CASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "registry_entries.jsonl")
         .read_text("utf-8").splitlines() if line.strip()]


def toml_value(value) -> str:
    return json.dumps(value)  # a JSON string or number is also a TOML one


@pytest.fixture
def folder(tmp_path) -> Path:
    """registry/ with docs/report.pdf, a symlink out of it, a symlink loop, and a sibling extra/."""
    registry = tmp_path / "registry"
    (registry / "docs").mkdir(parents=True)
    (registry / "docs" / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "outside.pdf").write_bytes(b"%PDF-1.4")
    (registry / "docs" / "escape.pdf").symlink_to(tmp_path / "outside.pdf")
    (registry / "docs" / "loop").symlink_to(registry / "docs" / "loop")
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "allowed.html").write_text("<p>x</p>")
    return registry


def write(folder: Path, body: str, roots: list[str] | None = None) -> Path:
    path = folder / "registry.toml"
    head = f"allowed_roots = {json.dumps(roots)}\n" if roots is not None else ""
    path.write_text(head + body, "utf-8")
    return path


@pytest.mark.parametrize("case", CASES, ids=lambda c: json.dumps(c["entry"]))
def test_a_source_entry_is_fetchable_or_carries_its_problem(folder, case):
    ((key, value),) = case["entry"].items()
    roots = [f"../{r}" for r in case.get("allowed_roots", [])]
    registry = load_registry(write(folder, f'[[source]]\nid = "s"\nkind = "news"\n{key} = {toml_value(value)}\n',
                                   roots if roots else None))
    (source,) = registry.sources
    if case["problem"] is None:
        assert source.problem is None
        assert source.url.startswith(("http://", "https://", "HTTP://", "file:///"))
    else:
        assert source.problem and case["problem"] in source.problem
        assert str(folder / "registry.toml") in source.problem and "(s)" in source.problem  # names file and entry


def test_a_local_source_becomes_an_absolute_file_url_inside_the_folder(folder):
    (source,) = load_registry(write(folder, '[[source]]\nid = "s"\nkind = "report"\npath = "docs/report.pdf"\n')).sources
    assert source.url == (folder / "docs" / "report.pdf").resolve().as_uri()


def test_the_error_says_how_to_allow_another_folder(folder):
    (source,) = load_registry(write(folder, '[[source]]\nid = "s"\nkind = "news"\npath = "/etc/passwd"\n')).sources
    assert "/etc/passwd" in source.problem and str(folder) in source.problem and "allowed_roots" in source.problem


@pytest.mark.parametrize("source_id", ["ok\n", "ok\nsecond", "Upper", "-lead", "a b", "a/../b", "", "x" * 129, 7])
def test_an_id_must_be_a_whole_slug(folder, source_id):
    with pytest.raises(RegistryError, match="lower-case slug"):
        load_registry(write(folder, f'[[source]]\nid = {toml_value(source_id)}\nkind = "news"\nurl = "https://a.test/"\n'))


@pytest.mark.parametrize("roots", ['"../extra"', '[1]', '[""]'])
def test_allowed_roots_must_be_a_list_of_folders(folder, roots):
    path = folder / "registry.toml"
    path.write_text(f'allowed_roots = {roots}\n[[source]]\nid = "s"\nkind = "news"\nurl = "https://a.test/"\n')
    with pytest.raises(RegistryError, match="allowed_roots must be a list"):
        load_registry(path)


def test_a_feed_outside_the_allowed_folders_is_a_registry_error(folder):
    with pytest.raises(RegistryError, match=r"feed #1 \(f\).*allowed_roots"):
        load_registry(write(folder, '[[feed]]\nid = "f"\nurl = "file:///etc/passwd"\n'))


def test_the_demo_registry_names_its_corpus_as_an_allowed_root():
    registry = load_registry(Path(__file__).resolve().parent.parent / "registries" / "demo.toml")
    assert registry.sources and all(source.problem is None for source in registry.sources)


BAD_SOURCES = {
    "ftp": 'url = "ftp://example.test/nte.pdf"',
    "gopher": 'url = "gopher://example.test/1/nte"',
    "data": 'url = "data:text/html,<p>$5 million</p>"',
    "typo": 'url = "htp://example.test/a.html"',
    "loop": 'path = "docs/loop"',
    "passwd": 'path = "../../../../../../../etc/passwd"',
    "absolute": 'url = "file:///etc/hostname"',
}


def test_bad_sources_are_recorded_errors_and_every_other_source_loads(folder):
    import dagster as dg

    from pipelines.resources import TradeclaimsConfig
    from pipelines.runner import materialize_registry
    from warehouse import store

    demo = Path(__file__).resolve().parent.parent / "corpus" / "demo" / "news"
    good = sorted(demo.glob("*.html"))[:2]
    body = "".join(f'[[source]]\nid = "good-{n}"\nkind = "news"\npath = "docs/{p.name}"\n' for n, p in enumerate(good))
    for page in good:
        (folder / "docs" / page.name).write_bytes(page.read_bytes())
    body += "".join(f'[[source]]\nid = "bad-{name}"\nkind = "news"\n{line}\n' for name, line in BAD_SOURCES.items())
    settings = TradeclaimsConfig(registry_path=str(write(folder, body)), data_dir=str(folder / "data"),
                                 warehouse_path=str(folder / "data" / "warehouse.duckdb"))
    result = materialize_registry(settings, dg.DagsterInstance.ephemeral(), raise_on_error=False,
                                  log_level="WARNING")
    assert result.success
    con = store.connect(settings.warehouse_path, read_only=True)
    try:
        loaded = {k for (k,) in con.execute("SELECT doc_key FROM latest_documents").fetchall()}
        errors = dict(con.execute("SELECT doc_key, message FROM errors WHERE stage = 'fetch'").fetchall())
        leaked = con.execute("SELECT count(*) FROM claims WHERE text LIKE '%root:%'").fetchone()[0]
    finally:
        con.close()
    assert loaded == {f"good-{n}" for n in range(len(good))}
    assert set(errors) == {f"bad-{name}" for name in BAD_SOURCES}
    assert "unsupported URL scheme 'htp'" in errors["bad-typo"] and "cannot be resolved" in errors["bad-loop"]
    assert "allowed_roots" in errors["bad-passwd"] and "allowed_roots" in errors["bad-absolute"]
    assert leaked == 0


def test_a_feed_article_that_links_to_a_local_file_is_never_read(folder):
    from sources.discovered import add_discovered, merge_discovered
    from sources.registry import Source

    add_discovered(folder, [Source("feed-x-a", "news", "file:///etc/passwd"),
                            Source("feed-x-b", "news", "https://news.example.test/b")])
    registry = merge_discovered(load_registry(write(folder, "")), folder)
    problems = {source.id: source.problem for source in registry.sources}
    assert problems["feed-x-b"] is None
    assert "is not an http(s) URL" in problems["feed-x-a"] and "/etc/passwd" in problems["feed-x-a"]
