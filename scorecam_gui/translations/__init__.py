"""The window's translation catalogues: Qt Linguist sources (scorecam_<lang>.ts) and, in a
built package, their compiled .qm files. build.py updates and
compiles them (docs/translating.md)."""
