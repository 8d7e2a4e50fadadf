"""Content layer: the teaching data (YAML), its schemas, the model objects and the loader.

It imports nothing else of the package but errors; every other layer reads content through it.
"""
