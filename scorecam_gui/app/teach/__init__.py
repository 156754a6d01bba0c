"""The window's teaching (issue 37), Qt-free: taughtnets.py keeps the taught networks in the
app's data folder; teachjob.py is the teach window's job over engine/teach/."""
