"""One dynamic partition per document: its key is the registry id."""
import warnings

import dagster as dg

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")

# The policy of every partitioned asset: a backfill of many documents (the UI's
# *Materialize* over several partitions) is one run over their range, as the runs of
# `tradeclaims run` and of the automation are, not one run per document (each with
# Dagster's start-up and its own writer step).
SINGLE_RUN = dg.BackfillPolicy.single_run()
# Dagster 1.13 marks the asset parameter beta; the policy is what its docs recommend for
# many partitions in one run. Said once here rather than on every command's stderr.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

# Dagster 1.13 has no public call that starts one run over several partitions from code
# (RunRequest and materialize take one partition key). A run covers a range when it
# carries these two tags, which is what single-run backfills, the UI's launchpad and
# `dagster asset materialize --partition-range` put on the runs they start; they are
# spelled out here, the one place that does so (no import from dagster._core).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def add_new_partitions(instance: dg.DagsterInstance, keys: list[str]) -> list[str]:
    """Register the partition keys the instance does not know yet; return them."""
    known = set(instance.get_dynamic_partitions(documents_partitions.name))
    new = [key for key in keys if key not in known]
    if new:
        instance.add_dynamic_partitions(documents_partitions.name, new)
    return new


def covering_range(instance: dg.DagsterInstance, keys: list[str]) -> dg.PartitionKeyRange:
    """The smallest range of registered partitions that holds every key of ``keys``.

    Partitions in between that did not change are covered too; their steps find
    their work staged and loaded, and pass quickly.
    """
    if not keys:
        raise ValueError("no partition keys: a range needs at least one")
    ordered = instance.get_dynamic_partitions(documents_partitions.name)
    missing = sorted(set(keys) - set(ordered))
    if missing:
        raise ValueError(f"not partitions of {documents_partitions.name!r}: {', '.join(missing)}")
    positions = sorted(ordered.index(key) for key in keys)
    return dg.PartitionKeyRange(ordered[positions[0]], ordered[positions[-1]])


def range_tags(partitions: dg.PartitionKeyRange) -> dict[str, str]:
    """The tags of one run over ``partitions``."""
    return {RANGE_START_TAG: partitions.start, RANGE_END_TAG: partitions.end}
