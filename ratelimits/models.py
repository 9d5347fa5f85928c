from django.db import models


class RequestCount(models.Model):
    """Requests one client made in the current window of one limit, when the counts are kept
    in the database (no shared cache): every server process adds to the same row. Written by
    ratelimits.counting with one UPSERT; the key is a keyed hash, never the client's address."""

    key = models.CharField(max_length=80, primary_key=True)
    # The window as the number of whole windows since the epoch: a row of an earlier window
    # starts counting afresh, and rows of windows long gone are deleted.
    period = models.BigIntegerField()
    expires_at = models.FloatField(db_index=True)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = "licznik zapytań"
        verbose_name_plural = "liczniki zapytań"
        ordering = ["key"]

    def __str__(self):
        return f"{self.key}: {self.count}"
