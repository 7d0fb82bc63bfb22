from django import template

register = template.Library()


@register.filter
def bs(field):
    """Render a form field with Bootstrap's classes, marking it invalid when it has errors."""
    widget_type = field.widget_type
    css = "form-select" if widget_type in ("select", "selectmultiple") else "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})
