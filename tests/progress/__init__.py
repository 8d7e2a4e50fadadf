"""Tests of the learners' progress store."""
