"""The dialogs: About, importing weights, opening a model file."""
