"""evidence_snapshots: each loaded document's top claims as pictures, in the lineage graph.

After ``warehouse_claims``, for each document of the run: snapshots of its top claims
(offset money and rates first; evidence/claims.py renders and stores them, under
``data/evidence/`` and in the ``evidence`` table). The materialization's metadata
shows them inline (markdown images with ``data:`` URIs, which Dagster's UI draws), so
the asset's page shows the evidence beside the lineage. It writes the warehouse, so it
runs in the ``warehouse_writer`` pool like the loader, and only when a snapshot is new.
"""
import base64
from pathlib import Path

import dagster as dg

from evidence.claims import snapshot_documents
from pipelines.defs.documents.assets import WAREHOUSE_POOL, warehouse_claims
from pipelines.defs.documents.partitions import SINGLE_RUN, documents_partitions
from pipelines.resources import TradeclaimsConfig

# A run over many partitions records this metadata on each partition's materialization
# (Dagster copies it), so whatever it holds is stored once per document of the run: a few
# pictures inline and the first rows of the table for a small run, one picture for a large
# one (six ~20 KB pictures and a row per document in each of 201 partitions were ~28 MB of
# event log per 200-article run). Every snapshot is in the `evidence` table.
INLINE_SNAPSHOTS = 6
INLINE_UP_TO_PARTITIONS = 20  # more partitions in the run: one picture inline
ROWS_SHOWN = 20


def _relative(path: Path, data_dir: str) -> str:
    try:
        return Path(path).relative_to(data_dir).as_posix()
    except ValueError:
        return str(path)


def _cell(value) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def _evidence_md(shown, errors: dict[str, str], data_dir: str, partitions: int = 1) -> str:
    parts = []
    inline = 0
    pictures = INLINE_SNAPSHOTS if partitions <= INLINE_UP_TO_PARTITIONS else 1
    first_of_document = {}
    for item in shown:
        first_of_document.setdefault(item.doc_key, item)
    # pages of reports first: the evidence a person most wants to see
    for item in sorted(first_of_document.values(), key=lambda i: (i.page is None, i.doc_key)):
        if inline >= pictures:
            break
        where = f", page {item.page}" if item.page else ""
        data = base64.b64encode(item.png).decode("ascii")
        parts.append(f"**{_cell(item.doc_key)}**: {_cell(item.text)} ({item.kind}{where})\n\n"
                     f"![{_cell(item.doc_key)}{where}: {_cell(item.text)}](data:image/png;base64,{data})")
        inline += 1
    rows = ["| document | claim | kind | topic | page | snapshot |", "|---|---|---|---|---|---|"]
    rows += [f"| {_cell(i.doc_key)} | {_cell(i.text)} | {i.kind} | {_cell(i.topic)} | {_cell(i.page)} "
             f"| `{_relative(i.path, data_dir)}` |" for i in shown[:ROWS_SHOWN]]
    if len(shown) > ROWS_SHOWN:
        rows.append(f"\n{len(shown) - ROWS_SHOWN} more; every snapshot is a row of the warehouse's `evidence` table")
    parts.append("\n".join(rows))
    if errors:
        parts.append("\n".join(f"- **{_cell(claim)}**: {_cell(message)}" for claim, message in sorted(errors.items())))
    return "\n\n".join(parts)


@dg.asset(partitions_def=documents_partitions, backfill_policy=SINGLE_RUN, group_name="warehouse", deps=[warehouse_claims],
          pool=WAREHOUSE_POOL, kinds={"duckdb", "pdf"})
def evidence_snapshots(context: dg.AssetExecutionContext, settings: TradeclaimsConfig) -> dg.MaterializeResult:
    """Snapshots of each document's top claims (offsets first): its region of the page, highlighted."""
    keys = list(context.partition_keys)
    shown, errors = snapshot_documents(settings.warehouse_path, settings.data_dir, keys)
    for message in errors.values():
        context.log.warning(message)
    return dg.MaterializeResult(metadata={
        "snapshots": len(shown),
        "new_snapshots": sum(item.new for item in shown),
        "errors": len(errors),
        "evidence": dg.MetadataValue.md(_evidence_md(shown, errors, settings.data_dir, len(keys)) if shown or errors
                                        else "no claims"),
    })
