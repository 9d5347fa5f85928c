from departments.models import Department
from krakow_ngo.sitemaps import PublishedRecordSitemap


class DepartmentSitemap(PublishedRecordSitemap):
    model = Department
