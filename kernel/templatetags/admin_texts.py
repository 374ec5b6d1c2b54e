"""Template filters of the admin: a count of records in the model's own words."""

from django import template

from kernel.admin_texts import noun_of

register = template.Library()


@register.filter
def counted(model_admin, count):
    """«5 заседаний», «1 участник Клуба»: the noun's counted form; Django's words otherwise."""
    noun = noun_of(model_admin)
    if noun is None:
        opts = model_admin.opts
        return f"{count} {opts.verbose_name if count == 1 else opts.verbose_name_plural}"
    return noun.counted % {"count": count}
