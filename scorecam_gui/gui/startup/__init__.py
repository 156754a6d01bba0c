"""Starting the program: the entry point, the light first window, one program per user, and the
networks' weights states found in a thread."""
