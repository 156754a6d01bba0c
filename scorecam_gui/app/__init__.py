"""The application layer: what the window does, without Qt: the jobs the worker thread runs
(explain, compare, the ranking protocols), the options a request carries, the pictures prepared for
the panels and the plain-word texts. The window (gui/) shows what these return; import-linter keeps
Qt out of here."""
