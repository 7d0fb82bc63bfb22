"""Authorization matrix entries for the opinions public pages and the
public API: open to everyone, signed in or not.

The API entries need `renda.opinions.api.register(router)` wired in
renda/api/urls.py. The two POST endpoints are checked with a GET (405 for
every role: DRF checks permissions before the method, so 405 means nobody
was refused); their real POSTs are in test_public.py, where the rate limits
they count against are reset between tests.
"""

from conftest import ROLES
from renda.tests.matrix import EVERYONE, Case

MATRIX = {
    "opinions:submit": Case(EVERYONE),
    "opinions:receipt": Case(EVERYONE),
    "opinions:track": Case(EVERYONE),
    "api:public-opinion-list": Case(dict.fromkeys(ROLES, 405), api=True),
    "api:public-opinion-captcha": Case(EVERYONE, api=True),
    "api:public-opinion-places": Case(EVERYONE, api=True),
    "api:public-opinion-counties": Case(EVERYONE, api=True),
    "api:public-opinion-track": Case(dict.fromkeys(ROLES, 405), api=True),
}
