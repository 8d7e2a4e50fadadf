"""Question banks from other tools (jupyterquiz, GIFT, Moodle XML) in and out of our quiz YAML."""
