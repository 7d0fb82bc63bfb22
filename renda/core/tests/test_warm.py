"""The start-up warming: after it no page compiles a template or builds a
URL reverse table in a request, and what it built is frozen."""

import gc
from unittest import mock

import pytest
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.template.loaders.base import Loader
from django.urls import URLResolver, clear_url_caches, reverse

from renda.core.warm import warm_up


@pytest.mark.parametrize("language", [code for code, _label in settings.LANGUAGES])
def test_after_warming_pages_neither_compile_templates_nor_build_reverse_tables(
    language, world, client_for, client
):
    clear_url_caches()
    for backend in [*engines.all(), get_default_renderer().engine]:
        for loader in backend.engine.template_loaders:
            loader.reset()
    warm_up()
    assert gc.get_freeze_count() > 0
    pages = [
        (client_for("county"), "reports:dashboard"),
        (client_for("county"), "suggestions:list"),
        (client_for("township"), "deputies:list"),
        (client_for("county"), "opinions:list"),
        (client, "suggestions:public_list"),
    ]
    with (
        mock.patch.object(URLResolver, "_populate", side_effect=AssertionError("reverse table")),
        mock.patch.object(Loader, "get_template", side_effect=AssertionError("compiled")),
    ):
        for page_client, name in pages:
            page_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            assert page_client.get(reverse(name)).status_code == 200, name
