"""Helpers several test modules share (not tests themselves)."""
