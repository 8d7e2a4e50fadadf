"""Instructor layer: class results, item analysis, charts and question-bank importers.

May use pandas and matplotlib; reads the progress store and content, never a widget.
"""
