"""Tests of the content layer: the YAML, its schemas, the loader and instructors' own content."""
