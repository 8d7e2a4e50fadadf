"""The one home of the environment variables that pass settings from serve to every kernel."""

CONTENT_ENV = "BACKSPASM_EDU_CONTENT"
"""An instructor's own content folder, checked by serve and read by the loader in each kernel."""

PROGRESS_ENV = "BACKSPASM_EDU_PROGRESS"
"""Where learners' progress is kept: a store file, or a folder for one."""

INSTRUCTOR_KEY_ENV = "BACKSPASM_EDU_INSTRUCTOR_KEY"
"""The key that opens the class results page; serve makes a new one at each start."""
