"""Tests of class results and question-bank importers."""
