"""Migration 0004 names the document validator by this path; it lives in files.uploads."""

from files.uploads import validate_document_file

__all__ = ["validate_document_file"]
