"""How faithful is a map? The paper's metrics (metrics.py), the grid pointing game
(pointing_game.py) and the cascading-randomisation sanity check (sanity.py), for any method of
the catalog (docs/faithfulness.md)."""
