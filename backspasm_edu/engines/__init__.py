"""Engines layer: triage, quizzes, patient cases and the explorers, pure logic over content.

No ipywidgets, IPython or pandas; an engine records through the Recorder protocol it defines,
so it never imports the progress store.
"""
