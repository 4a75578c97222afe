"""Rendering: topics → the four pages per topic and the KB index, with source maps."""
