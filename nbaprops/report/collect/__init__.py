"""Collecting a report's data: functions that read the warehouse, the markers, the benchmark files
and the export folder and return plain data (dicts, lists, dataclasses), never HTML."""
