"""The command line, `scorecam`: one module per command (explain, evaluate and its ranking
protocols, the network commands), what they share (common.py, batch.py, progress.py), and the
argument types (argtypes.py, a leaf). No Qt; torch only inside the commands that need it."""
