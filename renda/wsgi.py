import os
import sys

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")

try:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    from renda.core.warm import warm_up

    warm_up()
except ImproperlyConfigured as error:
    sys.exit(f"renda: {error}")
