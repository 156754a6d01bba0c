"""The Folder view: many photos explained at once, as thumbnails with their classes."""
