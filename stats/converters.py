from stats.dimensions import DIMENSIONS, OVERVIEW


class DimensionConverter:
    """A dimension of the statistics in an address; any other word is simply not found."""

    regex = "|".join(DIMENSIONS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class BreakdownConverter(DimensionConverter):
    """The dimensions with a page of their own: years are the overview, /statystyki/."""

    regex = "|".join(slug for slug in DIMENSIONS if slug != OVERVIEW.slug)
