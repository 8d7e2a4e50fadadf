"""Learner progress: every quiz and case attempt kept in SQLite, exported and restored as files.

store (the SQLite store, Recorder, Record), exports (reading export files) and resume (carrying
on an unfinished activity); this package's names are their public ones.
"""

from backspasm_edu.progress.exports import read_export
from backspasm_edu.progress.resume import resume_quiz, resume_scenario
from backspasm_edu.progress.store import (
    APPLICATION_ID,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    FILE_NAME,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
    Activity,
    ProgressError,
    ProgressStore,
    Record,
    Recorder,
    Run,
    content_version,
    default_store,
    latest_unfinished,
    read_store,
    store_path,
)

__all__ = [
    "APPLICATION_ID",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "FILE_NAME",
    "SCHEMA_VERSION",
    "SQLITE_MAGIC",
    "Activity",
    "ProgressError",
    "ProgressStore",
    "Record",
    "Recorder",
    "Run",
    "content_version",
    "default_store",
    "latest_unfinished",
    "read_export",
    "read_store",
    "resume_quiz",
    "resume_scenario",
    "store_path",
]
