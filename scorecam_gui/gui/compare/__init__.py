"""The Compare tab: several methods side by side, their faithfulness numbers and the ranking
protocols (sanity check, grid test)."""
