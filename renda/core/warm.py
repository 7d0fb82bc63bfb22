"""Work a server process does once, before its first request.

Django compiles a template, and builds the reverse table of a URL namespace
for a language, the first time a request needs it, in that request. After a
restart every worker paid this on its first visit to each page: the
dashboard's first load took 886 ms instead of 10 (its navigation reverses
links into every app), the suggestion register's 170 ms instead of 31. The
WSGI module (`renda/wsgi.py`) calls `warm_up()` once per process, so those
costs fall at start-up (about 1.3 s) and not on the first users.

Last it freezes what start-up built (`gc.freeze`): the loaded code, the
compiled templates and the tables, about 400,000 objects that live as long
as the process. A full collection walked them all every few hundred
requests, a 220-250 ms pause for whichever request set it off (the
benchmark's lone slow requests among 20-50 ms ones); frozen, they are
skipped, and the full collections of 480 requests paused 13-65 ms.
"""

import contextlib
import gc
from pathlib import Path

from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import TemplateSyntaxError, engines
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation


def warm_up() -> None:
    compile_templates()
    build_reverse_tables()
    gc.collect()
    gc.freeze()


def compile_templates() -> None:
    """Compile every template into the cached loaders: the pages' and the
    form renderer's."""
    for backend in [*engines.all(), get_default_renderer().engine]:
        for folder in map(Path, backend.template_dirs):
            for path in folder.rglob("*.html"):
                # A package's template for a library not installed here fails
                # where it is used, as it would have without warming.
                with contextlib.suppress(TemplateSyntaxError):
                    backend.get_template(path.relative_to(folder).as_posix())


def _one_name_per_namespace(resolver, prefix="") -> list[str]:
    """A URL name in each namespace: reversing it builds the namespace's table."""
    names, own = [], None
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names += _one_name_per_namespace(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name and own is None:
            own = f"{prefix}{entry.name}"
    return [*names, own] if own else names


def build_reverse_tables() -> None:
    names = _one_name_per_namespace(get_resolver())
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            for name in names:
                # A name that needs arguments fails, but the table is built all the same.
                with contextlib.suppress(NoReverseMatch):
                    reverse(name)
