"""USTR reports: the NTE report appears around March 31, so check weekly in March–April, monthly otherwise."""
from pipelines.defs.ustr.schedules import ustr_reports_schedule

SCHEDULES = [ustr_reports_schedule]
