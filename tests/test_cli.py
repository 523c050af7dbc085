"""The tradeclaims command line: help for every command, extract's contract, read-only query."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipelines.cli import main

COMMANDS = sorted(main.commands)


def test_the_cli_has_the_issue_commands():
    assert {"run", "extract", "query", "ui"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    help_text = main.commands[command].help
    assert help_text and len(help_text.strip()) > 20, f"{command} has no real help text"
    assert help_text.split("\n")[0].strip().rstrip(".") in " ".join(result.output.split())


def extract_jsonl(*args) -> list[dict]:
    result = CliRunner().invoke(main, ["extract", "--format", "jsonl", *map(str, args)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def test_extract_prints_the_contract_fields(seed_path):
    claims = extract_jsonl(seed_path)
    required = {"source", "kind", "text", "start", "end", "page", "sentence", "value", "low", "high",
                "unit", "qualifier", "topic"}
    text = seed_path.read_text("utf-8")
    for claim in claims:
        assert required <= claim.keys()
        assert claim["source"] == str(seed_path)
        assert text[claim["start"]:claim["end"]] == claim["text"]
        assert claim["page"] is None


def test_extract_on_the_seed_article_finds_its_claims(seed_path):
    claims = extract_jsonl(seed_path)
    by_text = {c["text"]: c for c in claims}
    assert by_text["30%"]["topic"] == "offset" and by_text["30%"]["value"] == 30
    assert by_text["50%"]["topic"] == "offset" and by_text["50%"]["unit"] == "percent"
    assert by_text["30%"]["condition"] == "for non-competitive bids"
    assert (by_text["$8 billion"]["value"], by_text["$8 billion"]["qualifier"]) == (8_000_000_000, "approx")
    assert (by_text["$800 million"]["value"], by_text["$800 million"]["qualifier"]) == (800_000_000, "approx")
    assert by_text["$8 billion"]["period"] == "2011/2015"
    assert (by_text["2011-2015"]["kind"], by_text["2011-2015"]["low"], by_text["2011-2015"]["high"]) == ("period", "2011", "2015")
    assert by_text["2016-2020"]["value"] == "2016/2020"
    assert by_text["1982"]["kind"] == "date" and by_text["1982"]["value"] == "1982"
    assert by_text["2022"]["value"] == "2022"
    assert by_text["31st of October"]["kind"] == "date"
    assert by_text["31st of October"]["value"].endswith("10-31")


def test_extract_takes_nothing_from_acronyms_emoji_or_headings(seed_path):
    claims = extract_jsonl(seed_path)
    for claim in claims:
        assert "RDP" not in claim["text"]
        assert not any(ord(ch) > 0x2600 for ch in claim["text"]), claim["text"]
        assert "Analyzing" not in claim["sentence"] and "Historical Context" not in claim["sentence"]
    assert len(claims) == 11


def test_extract_doc_date_resolves_partial_dates(seed_path):
    result = CliRunner().invoke(main, ["extract", "--doc-date", "2025-11-05", str(seed_path)])
    october = [json.loads(line) for line in result.output.splitlines() if '"31st of October"' in line]
    assert october[0]["value"] == "2025-10-31"


def test_extract_reports_a_bad_file_and_goes_on(tmp_path, seed_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = CliRunner().invoke(main, ["extract", str(empty), str(seed_path)])
    assert result.exit_code == 1
    assert "empty.pdf" in result.output and "empty" in result.output.lower()
    assert '"1982"' in result.output  # the good file was still extracted


def test_console_script_is_installed(seed_path):
    exe = shutil.which("tradeclaims") or str(
        __import__("pathlib").Path(sys.executable).parent / "tradeclaims")
    done = subprocess.run([exe, "extract", "--format", "jsonl", str(seed_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 11


def test_query_prints_a_table(demo_run):
    result = CliRunner().invoke(main, ["query", "--warehouse", str(demo_run["warehouse"]),
                                       "SELECT kind, count(*) AS n FROM claims GROUP BY kind ORDER BY kind"])
    assert result.exit_code == 0, result.output
    for kind in ("date", "money", "percent", "period"):
        assert kind in result.output


def test_query_jsonl(demo_run):
    result = CliRunner().invoke(main, ["query", "--format", "jsonl", "--warehouse", str(demo_run["warehouse"]),
                                       "SELECT count(*) AS n FROM offset_claims"])
    assert json.loads(result.output.splitlines()[0])["n"] > 10


@pytest.mark.parametrize("sql", ["DELETE FROM claims", "drop table claims", "  INSERT INTO runs VALUES (1)",
                                 "SELECT 1; UPDATE claims SET kind = 'x'"])
def test_query_refuses_writes(demo_run, sql):
    result = CliRunner().invoke(main, ["query", "--warehouse", str(demo_run["warehouse"]), sql])
    assert result.exit_code != 0
    assert "read-only" in result.output


def test_query_without_a_warehouse_says_so(tmp_path):
    result = CliRunner().invoke(main, ["query", "--warehouse", str(tmp_path / "none.duckdb"), "SELECT 1"])
    assert result.exit_code != 0
    assert "no warehouse yet" in result.output


@pytest.mark.parametrize("sql", [
    "-- a comment first\nCOPY (SELECT 1) TO '{out}'",
    "/**/COPY (SELECT 1) TO '{out}'",
    "EXPLAIN ANALYZE COPY (SELECT 1) TO '{out}'",
    "SELECT * FROM read_csv('/etc/passwd')",
    "ATTACH '{out}' AS other",
])
def test_query_can_neither_write_nor_read_files(demo_run, tmp_path, sql):
    out = tmp_path / "leak.csv"
    result = CliRunner().invoke(main, ["query", "--warehouse", str(demo_run["warehouse"]), sql.format(out=out)])
    assert result.exit_code != 0
    assert not out.exists()
    assert "root:" not in result.output


def test_query_keeps_semicolons_inside_strings(demo_run):
    result = CliRunner().invoke(main, ["query", "--format", "jsonl", "--warehouse", str(demo_run["warehouse"]),
                                       "SELECT 'a; delete' AS s"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0]) == {"s": "a; delete"}


@pytest.mark.parametrize("sql", [
    "SELECT text AS copy FROM claims LIMIT 1",
    "SELECT 'COPY' AS word, 1 AS insert",
    "/* COPY (SELECT 1) TO 'x' */ SELECT 1 AS n",
    "FROM claims SELECT kind LIMIT 1",
    "EXPLAIN SELECT * FROM claims",
    "WITH c AS (SELECT 1 AS n) SELECT n FROM c",
])
def test_query_decides_by_the_parsed_statement_not_by_words(demo_run, sql):
    result = CliRunner().invoke(main, ["query", "--format", "jsonl", "--warehouse", str(demo_run["warehouse"]), sql])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("sql, kind", [("EXPLAIN ANALYZE COPY (SELECT 1) TO 'x.csv'", "COPY"),
                                       ("PRAGMA version", "PRAGMA"), ("SET threads = 1", "SET"),
                                       ("/* SELECT */ DELETE FROM claims", "DELETE")])
def test_query_refusals_name_the_statement_type(demo_run, sql, kind):
    result = CliRunner().invoke(main, ["query", "--warehouse", str(demo_run["warehouse"]), sql])
    assert result.exit_code == 1
    assert f"read-only: {kind} statements are refused" in result.output


def test_query_timeout_interrupts_a_runaway_query(demo_run):
    runaway = "SELECT sum(hash(a.range * b.range)) FROM range(1000000000) a, range(1000000000) b"
    result = CliRunner().invoke(main, ["query", "--timeout", "0.5", "--warehouse", str(demo_run["warehouse"]),
                                       runaway])
    assert result.exit_code == 1
    assert "stopped after 0.5 s (--timeout)" in result.output


def test_query_timeout_defaults_to_a_minute():
    option = next(p for p in main.commands["query"].params if p.name == "timeout")
    assert option.default == 60


# --- text: what the parser saw ------------------------------------------------------------

DEMO = Path(__file__).resolve().parent.parent / "corpus" / "demo"


def test_text_prints_the_text_claim_offsets_index(tmp_path):
    from extractors.parse import parse_file

    for path in (DEMO / "reports" / "nte-2025-korea.pdf",
                 DEMO / "news" / "2025-11-10-korea-offsets-analysis.html"):
        result = CliRunner().invoke(main, ["text", str(path)])
        assert result.exit_code == 0, result.output
        assert result.output == parse_file(path).text + "\n"
        printed = result.output
        for claim in extract_jsonl(path):
            assert printed[claim["start"]:claim["end"]] == claim["text"]


def test_text_of_a_plain_text_file(seed_path):
    result = CliRunner().invoke(main, ["text", str(seed_path)])
    assert result.exit_code == 0
    assert "1982" in result.output


def test_text_pages_adds_marker_lines():
    path = DEMO / "reports" / "nte-2025-korea.pdf"
    result = CliRunner().invoke(main, ["text", "--pages", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "--- page 1 ---"
    assert "--- section: Republic of Korea ---" in lines
    assert any(line.startswith("--- page 2 ---") for line in lines)
    assert any(line.startswith("--- section: Republic of Korea / Government Procurement") for line in lines)


def test_text_reports_a_bad_file_and_goes_on(tmp_path, seed_path):
    cut = tmp_path / "cut.pdf"
    cut.write_bytes((DEMO / "reports" / "nte-2025-korea.pdf").read_bytes()[:2000])
    result = CliRunner().invoke(main, ["text", str(cut), str(seed_path)])
    assert result.exit_code == 1
    assert f"error: {cut}: truncated PDF" in " ".join(result.output.split())
    assert f"==> {seed_path} <==" in result.output
    assert "1982" in result.output  # the good file was still printed
