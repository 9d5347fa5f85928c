"""What a view tells the middleware about its response."""


def same_in_every_language(response):
    """Marks a response whose bytes are the same whatever the reader's language (a download, a
    data file): LocaleMiddleware (krakow_ngo.middleware) then adds neither Vary:
    Accept-Language, which would make proxies and CDNs keep one copy per browser language, nor
    a Content-Language naming the interface's language instead of the file's."""
    response.same_in_every_language = True
    return response
