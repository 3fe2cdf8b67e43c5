"""The statistics pages (`pages`), the downloads (`downloads`) and the authority's operational dashboard and the
service's own measures (`operations`). Every view starts from `insights.scope` (a 404 for anyone who may not see
it) and reads figures, never a person."""

from insights.views.downloads import export, extract, extract_download
from insights.views.operations import operations, service_performance
from insights.views.pages import statistics, table

__all__ = ["export", "extract", "extract_download", "operations", "service_performance", "statistics", "table"]
