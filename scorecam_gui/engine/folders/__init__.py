"""Batches: many photos from files, folders and lists, a Parquet manifest, local or Ray runs.

Modules: paths (PATH arguments to photos), manifest (the Parquet rows, resume), batch (the local
loop with a reader thread), ray_executor (the same rows from Ray Data actors). No Qt here.
"""
