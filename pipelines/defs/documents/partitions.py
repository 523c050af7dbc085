"""One dynamic partition per document: its key is the registry id."""
import dagster as dg

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")


def add_new_partitions(instance: dg.DagsterInstance, keys: list[str]) -> list[str]:
    """Register the partition keys the instance does not know yet; return them."""
    known = set(instance.get_dynamic_partitions(documents_partitions.name))
    new = [key for key in keys if key not in known]
    if new:
        instance.add_dynamic_partitions(documents_partitions.name, new)
    return new
