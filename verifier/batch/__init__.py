"""Batch audits: many articles in, one JSONL line per article out, serially or on a dask cluster."""

from __future__ import annotations
