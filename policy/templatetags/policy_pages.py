from django import template

from common.translations import localized as localized_text

register = template.Library()


@register.filter
def localized(obj, field="name"):
    """{{ rule|localized }} → name_en in the English UI, name_zh otherwise; {{ rule|localized:"description" }}."""
    return localized_text(obj, field)
