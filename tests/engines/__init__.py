"""Tests of the engines: triage, quizzes, patient cases and the explorers."""
