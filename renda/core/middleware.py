from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation

from renda.core.params import NUL, nul_problem


class LanguageMiddleware:
    """Chinese unless the user chose otherwise with the language switch.

    Unlike Django's LocaleMiddleware this ignores the browser's
    Accept-Language: an office PC set up in English still shows the
    Chinese interface its colleagues use, until someone switches.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NulQueryMiddleware:
    """A query parameter holding a NUL character (%00) is answered with a
    400 naming the parameter. No one types one, and PostgreSQL refuses it in
    any text it is given, so a list filtering or searching by it would end
    in a 500. Only the query string is looked at: reading a posted body here
    would come before the upload size checks (renda.opinions.abuse). What is
    posted goes through form fields, which refuse NUL themselves, or through
    the services, which check the text they keep (workflow.transition)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            shown = name.replace(NUL, "")
            if message := nul_problem(f"查询参数“{shown}”", name, *values, advice="请检查后重试"):
                return self.refuse(request, shown, message)
        return self.get_response(request)

    @staticmethod
    def refuse(request, name: str, message: str):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "invalid", "message": message, "errors": {name: [message]}}, status=400
            )
        return render(request, "400.html", {"message": message}, status=400)
