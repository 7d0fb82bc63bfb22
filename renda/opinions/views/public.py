"""Public pages: a citizen tells the congress about a problem (反映社情民意),
gets a receipt code, and follows the answer with the code and the last four
digits of their phone. Open to everyone, signed in or not.

Guards (see abuse.py): a request body bigger than a submission can be is
refused before anything reads it; submissions are limited per address and
per phone, tracking per address; the form asks an arithmetic question.
"""

from functools import wraps

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from renda.opinions import abuse
from renda.opinions.forms_public import (
    OpinionPublicForm,
    TrackForm,
    county_chosen,
    public_progress,
)

RECEIPT_SESSION_KEY = "opinions_public_receipt"


def _problem(request, *, status: int, heading: str, message: str, back: str, retry_after=None):
    response = render(
        request,
        "opinions/public_problem.html",
        {"heading": heading, "message": message, "back": back},
        status=status,
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _rate_limited(request, refusal: abuse.RateLimited, back: str):
    return _problem(
        request,
        status=429,
        heading="操作过于频繁",
        message=f"{refusal.limit.message}约 {refusal.minutes} 分钟后可再次操作。",
        back=back,
        retry_after=refusal.retry_after,
    )


def _too_large(request, back: str):
    return _problem(
        request,
        status=413,
        heading="提交的内容过大",
        message=abuse.TOO_LARGE_MESSAGE,
        back=back,
    )


def body_capped(back: str, *, files_allowed: bool = True):
    """Answer an oversized body with a Chinese 413 page. The size is checked
    before the CSRF check reads the body (which would end in a bare 400), so
    the view is exempt from the middleware and protected again inside."""

    def decorator(view):
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if abuse.body_too_large(request, files_allowed=files_allowed):
                return _too_large(request, back)
            try:
                return protected(request, *args, **kwargs)
            # Django's own caps on the parsed fields (DATA_UPLOAD_MAX_*).
            except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
                return _too_large(request, back)

        return wrapped

    return decorator


@never_cache
@require_http_methods(["GET", "POST"])
@body_capped(back="opinions:submit")
def opinion_submit(request):
    county, counties = county_chosen(request.GET.get("county") or request.POST.get("county"))
    if request.method != "POST":
        if counties and county is None:
            # A province's server: the county first, then its townships.
            return render(request, "opinions/public_submit.html", {"counties": counties})
        form = OpinionPublicForm(county=county)
        form.new_captcha()
        return _submit_page(request, form, counties)
    address = abuse.client_ip(request)
    try:
        abuse.hit(abuse.SUBMIT_PER_ADDRESS, address or "unknown")
    except abuse.RateLimited as refusal:
        return _rate_limited(request, refusal, back="opinions:submit")
    form = OpinionPublicForm(request.POST, request.FILES, county=county)
    if not form.is_valid():
        form.new_captcha()
        return _submit_page(request, form, counties)
    try:
        abuse.hit(abuse.SUBMIT_PER_PHONE, form.cleaned_data["submitter_phone"])
    except abuse.RateLimited as refusal:
        return _rate_limited(request, refusal, back="opinions:submit")
    user = request.user if request.user.is_authenticated else None
    opinion, created = form.save(client_ip=address, actor=user)
    request.session[RECEIPT_SESSION_KEY] = {"code": opinion.receipt_code, "duplicate": not created}
    return redirect("opinions:receipt")


def _submit_page(request, form, counties):
    return render(
        request, "opinions/public_submit.html", {"form": form, "can_change_county": bool(counties)}
    )


@never_cache
def opinion_receipt(request):
    """The receipt of this browser's last submission (kept in its session,
    so the code never appears in a URL or a log)."""
    receipt = request.session.get(RECEIPT_SESSION_KEY)
    return render(request, "opinions/public_receipt.html", {"receipt": receipt})


@never_cache
@require_http_methods(["GET", "POST"])
@body_capped(back="opinions:track", files_allowed=False)
def opinion_track(request):
    if request.method != "POST":
        return render(request, "opinions/public_track.html", {"form": TrackForm()})
    try:
        abuse.hit(abuse.TRACK_PER_ADDRESS, abuse.client_ip(request) or "unknown")
    except abuse.RateLimited as refusal:
        return _rate_limited(request, refusal, back="opinions:track")
    form = TrackForm(request.POST)
    progress = public_progress(form.opinion) if form.is_valid() else None
    return render(request, "opinions/public_track.html", {"form": form, "progress": progress})
