"""WSGI entry point (gunicorn `config.wsgi:application`).

Without DJANGO_SETTINGS_MODULE it serves production settings, and a server started bare fails
closed: it refuses to start with the development secret key, DEBUG or a per-request task
backend (sdg87.core.checks.refuse_unsafe_production; gunicorn runs no system checks itself).
`make run` and `make serve` export config.settings.dev, the browser tests their own module.
"""

import os

from django.core.wsgi import get_wsgi_application

from sdg87.core.checks import refuse_unsafe_production

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
refuse_unsafe_production()
