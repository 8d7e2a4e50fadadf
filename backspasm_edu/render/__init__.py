"""Render layer: HTML and SVG strings (figures, tables) made from content and engine results.

No ipywidgets: views and pages display what this layer returns.
"""
