"""Bad local inputs cost little and say what is wrong (issue 14; the PDF error of issue 16).

Every case is bounded in time: the ones that could block or read forever (a named
pipe, /dev/zero) run the real command in a subprocess with a timeout.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractors.bounded import parse_pdf_bounded
from extractors.document import DocumentError
from extractors.parse import parse_file
from extractors.pdf_text import parse_pdf
from pipelines.cli import main
from sources import local_files
from sources.fetch import Fetcher
from sources.local_files import LocalFileError, read_document_file
from sources.rawstore import RawStore
from tests.conftest import ROOT
from tests.pdf_factory import build_pdf, inflating_pdf, raw_pdf

TRADECLAIMS = Path(sys.executable).parent / "tradeclaims"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="devices and pipes as on Linux")


# A page tree that loops into itself and has no page count: pdfium refuses it
# without setting an error of its own.
PAGES_LOOP = raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] >>"])
ENCRYPTED = build_pdf([[("line", "Secret text of 5 percent.")]], encrypt=("owner", "user"))


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.pdf"
    os.mkfifo(path)
    return path


def run_cli(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(TRADECLAIMS), *map(str, args)], capture_output=True, text=True, timeout=120)


# ------------------------------------------------------------ not regular files


@linux_only
@pytest.mark.parametrize("name, problem", [("/dev/zero", "not a regular file (a character device)"),
                                           ("fifo", "not a regular file (a named pipe)")])
def test_devices_and_pipes_are_refused_without_reading(name, problem, fifo, tmp_path):
    path = fifo if name == "fifo" else Path(name)
    done = run_cli("extract", path)
    assert done.returncode == 1
    assert done.stderr.strip() == f"error: {path}: {problem}"


@linux_only
def test_the_fetcher_refuses_a_registry_path_that_is_a_pipe(fifo, tmp_path):
    with Fetcher(RawStore(tmp_path / "raw"), tmp_path / "state.json") as fetcher:
        result = fetcher.fetch(str(fifo))
    assert not result.ok and result.error == f"{fifo}: not a regular file (a named pipe)"


# ------------------------------------------------------------------- size caps


def test_a_sparse_2_gib_file_is_refused_by_its_size_before_reading(tmp_path, monkeypatch):
    sparse = tmp_path / "huge.txt"
    with sparse.open("wb") as fh:
        fh.truncate(2 * 1024 ** 3)
    opened = []
    monkeypatch.setattr(local_files.os, "open", lambda *a, **kw: opened.append(a) or 1 / 0)
    with pytest.raises(DocumentError) as err:
        parse_file(sparse)
    assert str(err.value) == f"{sparse}: larger than the 50,000,000-byte limit (2,147,483,648 bytes)"
    assert opened == []


def test_the_cap_is_configurable_and_the_same_for_extract_and_the_fetcher(tmp_path):
    page = tmp_path / "note.txt"
    page.write_text("Tariffs rose to 25 percent in 2024. " * 40)
    size = page.stat().st_size
    result = CliRunner().invoke(main, ["extract", "--max-bytes", str(size - 1), str(page)])
    assert result.exit_code == 1
    problem = f"larger than the {size - 1:,}-byte limit ({size:,} bytes)"
    assert f"{page}: {problem}" in result.output
    with Fetcher(RawStore(tmp_path / "raw"), tmp_path / "state.json", max_bytes=size - 1) as fetcher:
        assert fetcher.fetch(str(page)).error == f"{page}: {problem}"
    assert CliRunner().invoke(main, ["extract", "--max-bytes", str(size), str(page)]).exit_code == 0


def test_a_file_that_grew_past_the_cap_after_the_check_is_refused(tmp_path, monkeypatch):
    page = tmp_path / "growing.txt"
    page.write_bytes(b"x" * 200)
    monkeypatch.setattr(local_files, "check_document_file", lambda path, max_bytes: None)
    monkeypatch.setattr(local_files, "_problem", lambda mode, size, max_bytes: None)
    with pytest.raises(LocalFileError, match=r"growing\.txt: larger than the 100-byte limit$"):
        read_document_file(page, 100)


# ---------------------------------------------------- one bad argument of many


def test_every_readable_file_is_extracted_and_each_bad_argument_gets_one_line(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Tariffs rose to 25 percent in 2024.\n")
    folder = tmp_path / "some-directory"
    folder.mkdir()
    later = tmp_path / "later.txt"
    later.write_text("An offset obligation arises above $10 million.\n")
    missing = tmp_path / "missing.pdf"
    done = run_cli("extract", good, missing, folder, later)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"error: {missing}: no such file",
                                        f"error: {folder}: is a directory, not a file"]
    sources = {line.split('"source": "')[1].split('"')[0] for line in done.stdout.splitlines()}
    assert sources == {str(good), str(later)}


# ------------------------------------------------------------- PDF error state


def test_a_pdf_error_is_this_files_not_the_previous_ones(tmp_path):
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "pages-loop.pdf").write_bytes(PAGES_LOOP)
    (tmp_path / "encrypted.pdf").write_bytes(ENCRYPTED)
    (tmp_path / "pages-loop.pdf").write_bytes(PAGES_LOOP)
    by_itself = CliRunner().invoke(main, ["extract", str(alone / "pages-loop.pdf")])
    after = CliRunner().invoke(main, ["extract", str(tmp_path / "encrypted.pdf"), str(tmp_path / "pages-loop.pdf"),
                                      str(tmp_path / "encrypted.pdf")])
    assert by_itself.output.strip() == f"error: {alone / 'pages-loop.pdf'}: damaged PDF (pdfium cannot read its structure)"
    assert after.output.splitlines() == [
        f"error: {tmp_path / 'encrypted.pdf'}: PDF is encrypted (needs a password)",
        f"error: {tmp_path / 'pages-loop.pdf'}: damaged PDF (pdfium cannot read its structure)",
        f"error: {tmp_path / 'encrypted.pdf'}: PDF is encrypted (needs a password)",
    ]


# ------------------------------------------------------------- decompression bomb


@pytest.fixture(scope="module")
def pdf_bomb(tmp_path_factory) -> Path:
    # 100 MB of content in a 0.3 MB file: pdfium needs ~15x that in memory (1.5 GiB).
    path = tmp_path_factory.mktemp("bomb") / "bomb.pdf"
    path.write_bytes(inflating_pdf(100 * 1024 * 1024))
    return path


@linux_only
def test_a_pdf_that_inflates_past_the_memory_limit_is_refused_and_the_rest_go_on(pdf_bomb, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Tariffs rose to 25 percent in 2024.\n")
    report = ROOT / "corpus" / "demo" / "reports" / "nte-2025-korea.pdf"
    done = subprocess.run([str(TRADECLAIMS), "extract", str(pdf_bomb), str(good), str(report)], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "TRADECLAIMS_PDF_MEMORY_MB": "300"})
    assert done.returncode == 1
    assert done.stderr.strip() == (f"error: {pdf_bomb}: needs more than 300 MiB of memory to parse (the limit per "
                                   f"PDF; a page whose content inflates to a huge stream?)")
    sources = {line.split('"source": "')[1].split('"')[0] for line in done.stdout.splitlines()}
    assert sources == {str(good), str(report)}  # the report parsed after the bomb, in a new child


def test_a_pdf_that_parses_too_long_is_stopped_at_the_time_limit(pdf_bomb):
    with pytest.raises(DocumentError, match=r"bomb\.pdf: took longer than 0\.5 s to parse \(the limit per PDF\)$"):
        parse_pdf_bounded(pdf_bomb.read_bytes(), str(pdf_bomb), time_limit=0.5)
    good = build_pdf([[("line", "Tariffs rose to 25 percent.")]], running=False)
    assert parse_pdf_bounded(good, "good.pdf").text == parse_pdf(good, "good.pdf").text


def test_text_checks_its_arguments_as_extract_does(tmp_path, fifo):
    good = tmp_path / "good.txt"
    good.write_text("Tariffs rose to 25 percent in 2024.\n")
    result = CliRunner().invoke(main, ["text", str(good), str(tmp_path), str(fifo), str(tmp_path / "nope.pdf")])
    assert result.exit_code == 1
    assert f"==> {good} <==\nTariffs rose to 25 percent in 2024.\n" in result.output
    for line in (f"error: {tmp_path}: is a directory, not a file",
                 f"error: {fifo}: not a regular file (a named pipe)",
                 f"error: {tmp_path / 'nope.pdf'}: no such file"):
        assert line in result.output.splitlines()
