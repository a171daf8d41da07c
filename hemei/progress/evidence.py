"""Evidence of progress reports: the checks are the platform's one evidence check
(:mod:`hemei.core.evidence`), named here for the progress code; and how many files a report
may hold."""

from hemei.core.evidence import (
    MAX_FILE_BYTES,
    CheckedFile,
    accepted_types_text,
    check_file,
    thumbnail,
    too_big,
)

MAX_FILES_PER_REPORT = 20

__all__ = [
    "MAX_FILES_PER_REPORT",
    "MAX_FILE_BYTES",
    "CheckedFile",
    "accepted_types_text",
    "check_file",
    "thumbnail",
    "too_big",
]
