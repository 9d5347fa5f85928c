# The tables holding a search_text column, with the short name used for their indexes.
SEARCHABLE_TABLES = [
    ("meetings_meeting", "meeting"),
    ("meetings_document", "document"),
    ("postulates_postulate", "postulate"),
    ("postulates_position", "position"),
    ("organisations_organisation", "organisation"),
]
