"""Teaching the network new classes from folders of photos, and checking what it learnt.

dataset.py (the folders, the held-out split) < features.py (the frozen network's features,
cached) and regions.py (where a map looks, the shortcut rule) < fit.py (the new last layer) <
taught.py (the taught network and its two files) and shortcuts.py (the maps of the held-out
photos) < teaching.py (the job): docs/teaching.md.
"""
