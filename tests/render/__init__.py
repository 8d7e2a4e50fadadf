"""Tests of the HTML and SVG the render layer makes."""
