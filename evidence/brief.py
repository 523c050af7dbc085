"""``tradeclaims brief``: one self-contained HTML file about a country, to read, mail or print.

For the country (an ISO 3166 code or name, through pycountry; or a subject the warehouse
names itself, such as ``EU``): each topic's claims with value, qualifier, condition,
period, document, page and evidence snapshot; what changed between report editions
(``edition_changes``) and what the report says about the news figures (``claim_checks``),
the findings views of migration 007; and a chart of each measure stated in more than one
edition (inline SVG, evidence/charts.py).

Self-contained: images are ``data:`` URIs, styles and charts inline, and nothing in the
file points outside it, so it opens offline and prints to PDF as it shows (print styles:
table headers repeated on each page, rows and pictures never split). The HTML is a Jinja2
template (``evidence/templates/brief.html.j2``, autoescaped: the warehouse's text is
data), not strings glued together.

Snapshots come from the ``evidence`` table when stored by the current renderer (the
``evidence_snapshots`` asset, ``tradeclaims evidence``), else they are rendered here and
kept in the file only: the brief reads the warehouse and writes nothing but its output.
"""
from __future__ import annotations

import base64
import datetime as dt
import struct
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pycountry

from evidence.charts import Point, measure_svg
from evidence.claims import EvidenceError, Renderer, claim_rows, stored_snapshots
from sources.atomic_write import write_atomically
from sources.rawstore import RawStore

TOPICS = ("offset", "procurement", "tariff", "trade_value", "other")
TOPIC_NAMES = {"offset": "Defence offsets", "procurement": "Government procurement", "tariff": "Tariffs",
               "trade_value": "Trade values", "other": "Other claims"}
MAX_CHARTS = 12
DISPLAY_SCALE = 1.5  # evidence.snapshot.PDF_SCALE (2 pixels a point) over CSS's 4/3 pixels a point


class BriefError(Exception):
    """A brief that cannot be written; the message names the input and the problem."""


@dataclass(frozen=True)
class Country:
    code: str  # as claims.subject holds it
    name: str


def resolve_country(value: str, subjects: set[str]) -> Country:
    """The country ``value`` names (``KOR``, ``KR``, ``Korea, Republic of``), as the warehouse's subject.

    Raises:
        BriefError: pycountry knows no such country and no claim has it as subject.
    """
    text = value.strip()
    if text.upper() in subjects and text.upper() not in {c.alpha_3 for c in pycountry.countries}:
        return Country(text.upper(), text.upper())  # an organisation the extractor names (EU, WTO)
    try:
        found = pycountry.countries.lookup(text)
    except LookupError:
        raise BriefError(f"country {value!r}: not a country (an ISO 3166 code or name, as pycountry knows them)"
                         " nor a subject of any claim") from None
    name = getattr(found, "common_name", None) or found.name  # "South Korea", "Poland"
    return Country(found.alpha_3, name)


_CLAIMS_SQL = """
SELECT c.claim_id, coalesce(c.topic, 'other') AS topic, c.kind, c.text, c.value, c.value_num, c.low_num, c.high_num,
       c.unit, c.qualifier, c.qualifier_text, c.condition, c.period, c.page, c.sentence, c.start_offset,
       c.doc_key, c.document, c.doc_type, c.report_year, c.published
FROM claims_with_documents c
WHERE c.subject = ?
ORDER BY c.doc_type = 'news', c.report_year DESC NULLS LAST, c.published DESC NULLS LAST, c.doc_key, c.start_offset
"""
_CHANGES_SQL = """
SELECT topic, change, old_report_year, new_report_year, old_text, new_text,
       coalesce(new_sentence, old_sentence) AS sentence
FROM edition_changes WHERE subject = ?
ORDER BY change = 'unchanged', topic = 'offset' DESC, topic, change, coalesce(new_claim_id, old_claim_id)
"""
_CHECKS_SQL = """
SELECT topic, news_text, news_document, news_published, verdict, reason, report_text, report_year, report_page
FROM claim_checks WHERE subject = ?
ORDER BY CASE verdict WHEN 'contradicts' THEN 0 WHEN 'consistent' THEN 1 ELSE 2 END, news_published, news_claim_id
"""
_MEASURES_SQL = """
SELECT claim_key, topic, unit, report_year, text, coalesce(low_num, value_num) AS low,
       coalesce(high_num, value_num) AS high, sentence, start_offset
FROM report_measures WHERE subject = ? AND coalesce(low_num, value_num) IS NOT NULL
ORDER BY claim_key, report_year, key_occurrence
"""


def _number(value: float) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def value_text(kind: str, value, value_num, low, high, unit) -> str:
    """The normalized value as a person reads it: ``USD 10,000,000``, ``30 percent``, ``2011/2015``."""
    if kind in ("money", "percent"):
        unit_before = kind == "money" and unit
        if value_num is not None:
            amount = _number(value_num)
        elif low is not None:
            amount = f"{_number(low)}–{_number(high)}" if high is not None else _number(low)
        else:
            return str(value or "")
        if unit_before:
            return f"{unit} {amount}"
        return f"{amount} {unit.replace('_', ' ')}" if unit else amount
    return "" if value is None else str(value)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("evidence", "templates"),
                              autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                              lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def _short(sentence: str, around: str, width: int = 90) -> str:
    """A window of ``sentence`` around the first ``around``: a chart's subtitle."""
    at = max(sentence.find(around), 0)
    start = max(at - width // 2, 0)
    text = sentence[start:start + width].strip()
    return ("…" if start else "") + text + ("…" if start + width < len(sentence) else "")


def _charts(measures: list[tuple]) -> tuple[list[dict], int]:
    """One chart per measure (claim_key) stated in two editions or more: those that changed
    first, offsets first, then by key; at most MAX_CHARTS. Returns (charts, measures charted or not)."""
    by_key: OrderedDict[str, list[tuple]] = OrderedDict()
    for row in measures:
        by_key.setdefault(row[0], []).append(row)
    eligible = []
    for key, rows in by_key.items():
        per_year: dict[int, tuple] = {}
        for row in rows:
            per_year.setdefault(row[3], row)  # the first claim of the key in each edition
        if len(per_year) < 2:
            continue
        points = [Point(year, r[5], r[6], r[4]) for year, r in sorted(per_year.items())]
        changed = len({(p.low, p.high) for p in points}) > 1
        eligible.append((not changed, rows[0][1] != "offset", key, rows, points))
    eligible.sort(key=lambda e: e[:3])
    charts = []
    for _, _, key, rows, points in eligible[:MAX_CHARTS]:
        newest = max(rows, key=lambda r: r[3])
        topic, unit = newest[1], newest[2]
        title = f"{TOPIC_NAMES.get(topic, topic)}: {newest[4]} in {newest[3]}"
        charts.append({
            "svg": measure_svg(key, unit, points),
            "title": title,
            "subtitle": _short(newest[7] or "", newest[4]),
            "readings": "; ".join(f"{p.year}: {p.text}" for p in points),
            "key": key,
        })
    return charts, len(eligible)


def build_brief(con, data_dir: str | Path, country: Country, warehouse: str | Path) -> tuple[str, dict]:
    """The brief's HTML for ``country`` from an open (read-only) warehouse connection, and a summary."""
    cursor = con.execute(_CLAIMS_SQL, [country.code])
    columns = [d[0] for d in cursor.description]
    claims = [dict(zip(columns, row)) for row in cursor.fetchall()]
    if not claims:
        raise BriefError(f"country {country.code} ({country.name}): no claim in {warehouse} is about it")
    changes = con.execute(_CHANGES_SQL, [country.code]).fetchall()
    checks = con.execute(_CHECKS_SQL, [country.code]).fetchall()
    measures = con.execute(_MEASURES_SQL, [country.code]).fetchall()

    # the snapshots: stored ones, else rendered here (the claims of a page share one rendering)
    pngs = stored_snapshots(con, data_dir, [claim["claim_id"] for claim in claims])
    missing = [claim["claim_id"] for claim in claims if claim["claim_id"] not in pngs]
    errors: dict[str, str] = {}
    if missing:
        rows = claim_rows(con, missing)
        order = sorted(missing, key=lambda i: (rows[i].sha256, rows[i].page or 0, rows[i].start))
        with Renderer(RawStore(Path(data_dir) / "raw")) as renderer:
            for claim_id in order:
                try:
                    snapshot = renderer.render(rows[claim_id])
                except EvidenceError as exc:
                    errors[claim_id] = str(exc)
                    continue
                pngs[claim_id] = snapshot.png
    topics = OrderedDict((topic, []) for topic in TOPICS)
    for claim in claims:
        claim["value_text"] = value_text(claim["kind"], claim["value"], claim["value_num"], claim["low_num"],
                                         claim["high_num"], claim["unit"])
        png = pngs.get(claim["claim_id"])
        claim["image"] = _data_uri(png) if png else None
        # shown at the page's own size: snapshots are drawn at 144 dpi, CSS pixels are 96 to the inch
        width, height = struct.unpack(">II", png[16:24]) if png else (0, 0)
        claim["image_width"], claim["image_height"] = round(width / DISPLAY_SCALE), round(height / DISPLAY_SCALE)
        claim["image_error"] = errors.get(claim["claim_id"])
        topics.setdefault(claim["topic"], []).append(claim)
    charts, measured = _charts(measures)
    changed = [dict(zip(("topic", "change", "old_year", "new_year", "old", "new", "sentence"), r))
               for r in changes if r[1] != "unchanged"]
    checked = [dict(zip(("topic", "news_text", "document", "published", "verdict", "reason", "report_text",
                         "report_year", "report_page"), r)) for r in checks]
    documents = sorted({(c["doc_type"], c["document"] or c["doc_key"], c["report_year"], c["published"])
                        for c in claims}, key=lambda d: (d[0] != "report", -(d[2] or 0), str(d[3]), d[1]))
    html = _environment().get_template("brief.html.j2").render(
        country=country, topics=[(t, TOPIC_NAMES.get(t, t), rows) for t, rows in topics.items() if rows],
        changes=changed, unchanged=sum(r[1] == "unchanged" for r in changes), checks=checked,
        verdicts={v: sum(c["verdict"] == v for c in checked) for v in ("contradicts", "consistent", "unverified")},
        charts=charts, measured=measured, documents=documents, claims=len(claims),
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"), warehouse=Path(warehouse).name,
    )
    summary = {"claims": len(claims), "images": sum(c["image"] is not None for c in claims),
               "rendered": len(missing) - len(errors), "image_errors": len(errors), "charts": len(charts),
               "changes": len(changed), "checks": len(checked)}
    return html, summary


def write_brief(warehouse: str | Path, data_dir: str | Path, country: str, output: str | Path,
                wait_seconds: float = 3.0) -> dict:
    """``tradeclaims brief``: write the brief of ``country`` to ``output`` (atomically, last).

    Raises:
        BriefError (an unknown country, or one no claim is about), warehouse.store.WarehouseBusy,
        FileNotFoundError (no warehouse), warehouse.query.QueryRefused (a refused output path).
    """
    from warehouse import store
    from warehouse.query import check_output

    output = check_output(warehouse, output)
    con = store.connect(warehouse, read_only=True, wait_seconds=wait_seconds)
    try:
        subjects = {s for (s,) in con.execute("SELECT DISTINCT subject FROM claims WHERE subject IS NOT NULL").fetchall()}
        html, summary = build_brief(con, data_dir, resolve_country(country, subjects), warehouse)
    finally:
        con.close()
    write_atomically(output, html)
    summary["bytes"] = output.stat().st_size
    return summary
