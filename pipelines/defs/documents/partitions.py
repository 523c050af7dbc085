"""One dynamic partition per document: its key is the registry id."""
import dagster as dg

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")
