from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Pamięć podręczna stron"

    def ready(self):
        from pagecache import invalidation

        invalidation.connect_signals()
