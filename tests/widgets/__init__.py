"""Headless tests of the views: build one, set values, click, read what it shows."""
