from django.db import models


class ExportFile(models.Model):
    """A download of the whole archive built ahead of requests (opendata/builds.py): where it
    is stored, its checksum and the data generation (pagecache) it was built from."""

    name = models.CharField("plik", max_length=40, unique=True)
    path = models.CharField("ścieżka w magazynie plików", max_length=255)
    size = models.PositiveBigIntegerField("rozmiar w bajtach")
    sha256 = models.CharField("suma kontrolna SHA-256", max_length=64)
    built_at = models.DateTimeField("utworzono")
    generation = models.CharField("wersja danych", max_length=80)

    class Meta:
        verbose_name = "plik do pobrania"
        verbose_name_plural = "pliki do pobrania"

    def __str__(self):
        return self.name
