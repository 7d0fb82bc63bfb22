"""The form renderer (settings.FORM_RENDERER): Django's own, except that
select boxes are drawn in Python.

Django draws a select through three templates, one include per option; a
filter bar with a county's sessions, units and categories has a few hundred
options, and drawing them was a third of the suggestion register's time
(about 15 ms of 44 on SQLite). `select_html` writes exactly what those
templates write (`test_rendering.py` compares the two on every kind of
select), so forms, widgets and their attributes are unchanged. A project
template overriding Django's select templates would be bypassed; there is
none.

It also writes Django's blank choice, "---------", as "请选择", and
chooses the only choice of a required select.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare name for
    True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


# Django's blank choice (a model field's BLANK_CHOICE_DASH, a
# ModelChoiceField's default empty label); forms that name theirs
# ("全部会议") keep their own.
BLANK = ("---------", "请选择")


def _name_blank(options: list[dict]) -> None:
    for option in options:
        if option["value"] in ("", None) and option["label"] == BLANK[0]:
            option["label"] = BLANK[1]


def _choose_the_only_one(widget: dict, options: list[dict]) -> None:
    """A required single select with one real choice and nothing chosen
    (a township clerk's own township) comes chosen."""
    attrs = widget["attrs"]
    real = [option for option in options if option["value"] not in ("", None)]
    only = real[0] if len(real) == 1 else None
    if only and attrs.get("required") and not attrs.get("multiple") and not only["selected"]:
        for option in options:
            option["selected"] = False
            option["attrs"].pop("selected", None)
        only["selected"] = True
        only["attrs"]["selected"] = True


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None:
            options = [option for _name, group, _index in widget["optgroups"] for option in group]
            _name_blank(options)
            _choose_the_only_one(widget, options)
        if widget is not None and all(
            option["template_name"] == OPTION
            for _name, options, _index in widget["optgroups"]
            for option in options
        ):
            return mark_safe(select_html(widget))  # noqa: S308 - every value escaped above
        return super().render(template_name, context, request)
