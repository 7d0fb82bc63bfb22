from renda.core.navigation import nav_for


def navigation(request):
    match = getattr(request, "resolver_match", None)
    return {
        "nav_items": nav_for(request.user),
        "current_url_name": f"{match.namespace}:{match.url_name}"
        if match and match.namespace
        else "",
    }
