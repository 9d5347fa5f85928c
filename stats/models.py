"""The statistics' facts of one content generation: what every published postulate counts as,
and their tallies per dimension (stats.snapshot builds them, stats.expressions reads them while
they are current)."""

from django.db import models


class OutcomeFact(models.Model):
    """One published postulate as the statistics count it, worked out for one content
    generation (OutcomeSnapshot): the group it falls in for every dimension, the outcome
    category of its current answer (or UNANSWERED) and the two dates its wait is counted
    between. Derived data, never edited: rebuilt whole when the generation changes."""

    postulate_id = models.BigIntegerField()
    # Named as the dimensions' fields (stats.dimensions.Dimension.field), so a page's filters
    # apply to them as they are.
    year = models.IntegerField(null=True)
    department = models.IntegerField(null=True)
    area = models.IntegerField(null=True)
    programme = models.IntegerField(null=True)
    category = models.CharField(max_length=20)
    answered_on = models.DateField(null=True)
    raised_on = models.DateField(null=True)

    class Meta:
        verbose_name = "fakt statystyk"
        verbose_name_plural = "fakty statystyk"
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["year"], name="stats_fact_year"),
            models.Index(fields=["department"], name="stats_fact_department"),
            models.Index(fields=["area"], name="stats_fact_area"),
            models.Index(fields=["programme"], name="stats_fact_programme"),
            # The postulate list's "current answer" filter (stats.snapshot.counted_postulates).
            models.Index(fields=["category"], name="stats_fact_category"),
        ]

    def __str__(self):
        return f"{self.postulate_id}: {self.category}"


class OutcomeTally(models.Model):
    """OutcomeFact rows grouped by one dimension, as a statistics page without filters groups
    them: such a page reads a few hundred rows, whatever the size of the archive."""

    dimension = models.CharField(max_length=20)  # a Dimension.field
    key = models.IntegerField(null=True)  # the group (None: unassigned)
    category = models.CharField(max_length=20)
    wait = models.DurationField(null=True)  # answered postulates: from raised to answered
    raised_on = models.DateField(null=True)  # unanswered postulates: waiting since then
    postulates = models.PositiveIntegerField()

    class Meta:
        verbose_name = "zliczenie statystyk"
        verbose_name_plural = "zliczenia statystyk"
        ordering = ["pk"]
        indexes = [models.Index(fields=["dimension"], name="stats_tally_dimension")]

    def __str__(self):
        return f"{self.dimension} {self.key}: {self.category} {self.postulates}"


class ListedPostulate(models.Model):
    """The public postulate list, unfiltered, in its order (postulates.selectors
    .public_postulates), for one content generation: a page of it is found by its positions,
    instead of by sorting every published postulate by its meeting and counting them."""

    position = models.PositiveIntegerField(primary_key=True)  # from 1, in the list's order
    postulate_id = models.BigIntegerField()

    class Meta:
        verbose_name = "miejsce postulatu na liście"
        verbose_name_plural = "miejsca postulatów na liście"
        ordering = ["position"]

    def __str__(self):
        return f"{self.position}: {self.postulate_id}"


class ListedCommitment(models.Model):
    """The public list of commitments, unfiltered, in its order (postulates.selectors
    .public_commitments), with each commitment's state on the day it was built (a generation
    ends at midnight): a page of it, of all or of one state, is found by its positions."""

    position = models.PositiveIntegerField(primary_key=True)  # from 1, in the list's order
    answer_id = models.BigIntegerField()  # the Position holding the commitment
    state = models.CharField(max_length=20)  # a postulates.models.CommitmentState value

    class Meta:
        verbose_name = "miejsce zobowiązania na liście"
        verbose_name_plural = "miejsca zobowiązań na liście"
        ordering = ["position"]
        indexes = [models.Index(fields=["state", "position"], name="stats_commitment_state")]

    def __str__(self):
        return f"{self.position}: {self.answer_id}"


class FilteredListing(models.Model):
    """The public postulate list filtered by one value of one of its filters (a year, a
    department, an organisation, a programme, an outcome, a follow-up, a history: stats.snapshot
    .KEPT_FILTERS), in the unfiltered list's order, for one content generation: a page of it
    is found by its ranks, instead of scanning every postulate for the filter's condition
    across the joined meetings, rounds, answers or links and sorting what it finds."""

    filter = models.CharField(max_length=20)  # a PostulateFilter parameter, e.g. "rok"
    key = models.BigIntegerField()  # the pk of the value chosen
    rank = models.PositiveIntegerField()  # from 1, in the list's order
    postulate_id = models.BigIntegerField()

    class Meta:
        verbose_name = "miejsce postulatu na liście filtrowanej"
        verbose_name_plural = "miejsca postulatów na listach filtrowanych"
        ordering = ["filter", "key", "rank"]
        indexes = [
            # With the postulate, so a page's keys are read from the index alone.
            models.Index(
                fields=["filter", "key", "rank", "postulate_id"], name="stats_filtered_rank"
            ),
            # A list filtered by several values is one's ranks among the others' postulates:
            # each found by index alone (a hash of a whole list cost 2-3 times as much).
            models.Index(fields=["filter", "key", "postulate_id"], name="stats_filtered_member"),
        ]

    def __str__(self):
        return f"{self.filter}={self.key} {self.rank}: {self.postulate_id}"


class OutcomeSnapshot(models.Model):
    """The content generation (pagecache.generation) the OutcomeFact, OutcomeTally,
    ListedPostulate, FilteredListing and ListedCommitment rows were built for; one row. The facts are read only while this is the current generation."""

    generation = models.CharField(max_length=64)
    built_at = models.DateTimeField()
    listed_postulates = models.PositiveIntegerField(default=0)  # rows of ListedPostulate

    class Meta:
        verbose_name = "stan statystyk"
        verbose_name_plural = "stany statystyk"

    def __str__(self):
        return self.generation
