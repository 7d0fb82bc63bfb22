"""Settings of the bench run only (`make bench` sets DJANGO_SETTINGS_MODULE
to this module for gunicorn and the bench commands). Everything comes from
renda.settings; the one difference is below. Production settings and
defaults are not touched.

The load generator runs on 127.0.0.1 and plays many citizens at once. The
public form's limits (renda/opinions/abuse.py: 5 submissions per address
per 10 minutes, 3 per phone per hour) count per address, so every
simulated citizen would share one address and the 6th submission would be
refused. The bench therefore plays the deployment the README describes,
nginx on 127.0.0.1 passing the visitor's address in X-Forwarded-For:
127.0.0.1 is a trusted proxy, and each simulated submission comes from its
own address and phone. The limits, the captcha (solved from the question,
as a person would) and the duplicate guard all run as in production.
"""

from renda.settings import *  # noqa: F403

TRUSTED_PROXIES = ["127.0.0.1"]
