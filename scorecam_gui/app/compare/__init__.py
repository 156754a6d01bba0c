"""The Compare tab's application layer (Qt-free): its job (job.py) and the one-sentence verdict
on the maps it made (verdict.py)."""
