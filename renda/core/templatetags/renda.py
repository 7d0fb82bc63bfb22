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


@register.filter
def field_errors(form):
    """(label, message) for every error tied to a field, in form order."""
    return [(field.label, error) for field in form for error in field.errors]
