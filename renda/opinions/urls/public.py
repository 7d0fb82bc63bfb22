"""Opinions: public pages (anyone, signed in or not)."""

from django.urls import path

from renda.opinions.views import public

urlpatterns = [
    path("public/submit/", public.opinion_submit, name="submit"),
    path("public/receipt/", public.opinion_receipt, name="receipt"),
    path("public/track/", public.opinion_track, name="track"),
]
