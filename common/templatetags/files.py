"""How a file is described on a page: its size in words and the kind of file it is, from its stored columns
(so that no view sets labels on model instances)."""

from django import template

from common.downloads import describe_size
from common.evidence_types import evidence_type_for

register = template.Library()


@register.filter
def file_size(size: int) -> str:
    return describe_size(size)


@register.filter
def file_type_label(content_type: str) -> str:
    evidence_type = evidence_type_for(content_type)
    return evidence_type.label if evidence_type else "File"
