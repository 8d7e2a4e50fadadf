"""Instructor layer: class results, item analysis, gradebooks and question-bank importers.

May use pandas; reads the progress store and content, never a widget.
"""
