"""The main window: its composition, actions and menus, the request controller, settings,
messages, export and drag and drop."""
