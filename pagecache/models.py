from django.db import models


class ContentGeneration(models.Model):
    """The page cache's generation (pagecache/generation.py), when it is kept in the database.
    There is one row; its token changes whenever public content may have changed."""

    token = models.CharField(max_length=32)
    valid_until = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "generacja treści"
        verbose_name_plural = "generacje treści"

    def __str__(self):
        return self.token
