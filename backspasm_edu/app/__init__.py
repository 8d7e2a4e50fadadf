"""App layer: the backspasm-edu command and the Voila server with its page templates.

The top of the house: it may import every other layer, and none imports it.
"""
