"""Learner progress: every quiz and case attempt kept in a store, exported and restored as files.

store (the store's interface and its SQLite kind, Recorder, Record), postgres (the store in
PostgreSQL, loaded only for a ``postgresql://`` location), exports (reading export files),
identity (who a learner is: browser keys, signed class links), resume (carrying on an
unfinished activity) and restore (a learner's file replayed into their own progress);
this package's names are their public ones.
"""

from backspasm_edu.progress.exports import read_export, read_export_and_names
from backspasm_edu.progress.identity import (
    NO_NAME,
    browser_key,
    clean_name,
    code_matches,
    course_secret,
    is_browser_key,
    learner_code,
    learner_labels,
    new_browser_id,
    rekeyed,
)
from backspasm_edu.progress.restore import (
    MAX_FILE_BYTES,
    MAX_RECORDS,
    check_file_size,
    restorable,
    restore_file,
)
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
    is_database_url,
    latest_unfinished,
    read_store,
    read_store_and_names,
    shown_location,
    store_location,
    store_path,
)

__all__ = [
    "APPLICATION_ID",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "FILE_NAME",
    "MAX_FILE_BYTES",
    "MAX_RECORDS",
    "NO_NAME",
    "SCHEMA_VERSION",
    "SQLITE_MAGIC",
    "Activity",
    "ProgressError",
    "ProgressStore",
    "Record",
    "Recorder",
    "Run",
    "browser_key",
    "check_file_size",
    "clean_name",
    "code_matches",
    "content_version",
    "course_secret",
    "default_store",
    "is_browser_key",
    "is_database_url",
    "latest_unfinished",
    "learner_code",
    "learner_labels",
    "new_browser_id",
    "read_export",
    "read_export_and_names",
    "read_store",
    "read_store_and_names",
    "rekeyed",
    "restorable",
    "restore_file",
    "resume_quiz",
    "resume_scenario",
    "shown_location",
    "store_location",
    "store_path",
]
