"""What the accessibility statement says of the archive's documents, read from the stored checks
of their files (accessibility.DocumentCheck) and the one definition of published."""

from django.db.models import Count, F, Q

from meetings.models import Document


def inaccessible_documents():
    """Published documents whose file's check found something that locks readers out, with
    what the statement shows of each: by their meeting's day, newest first (a round's
    documents and undated meetings' last), then by title; the id keeps pages stable."""
    return (
        Document.objects.published()
        .filter(accessibility_check__blocking=True)
        .exclude(file="")
        .select_related("meeting", "round", "accessibility_check")
        .only(
            "title",
            "slug",
            "file",
            "file_format",
            "meeting__year",
            "meeting__slug",
            "meeting__title",
            "meeting__starts_on",
            "round__year",
            "round__slug",
            "round__title",
            "accessibility_check__findings",
        )
        .order_by(F("meeting__starts_on").desc(nulls_last=True), "title", "pk")
    )


def document_counts():
    """Published documents: all, those without a file yet, those whose file waits for its
    check and those whose file is not fully accessible, in one query."""
    with_file = ~Q(file="")
    return Document.objects.published().aggregate(
        total=Count("pk"),
        without_file=Count("pk", filter=Q(file="")),
        unchecked=Count("pk", filter=with_file & Q(accessibility_check__isnull=True)),
        inaccessible=Count("pk", filter=with_file & Q(accessibility_check__blocking=True)),
    )
