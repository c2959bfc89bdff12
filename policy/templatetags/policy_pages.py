from django import template

from policy import pages

register = template.Library()


@register.filter
def localized(obj, field="name"):
    """{{ rule|localized }} → name_en in the English UI, name_zh otherwise; {{ rule|localized:"description" }}."""
    return pages.localized(obj, field)
