"""WSGI entry point (gunicorn `config.wsgi:application`).

Without DJANGO_SETTINGS_MODULE it serves production settings, and a server started bare fails
closed: it refuses to start with the development secret key, DEBUG or a per-request task
backend (sdg87.core.checks.refuse_unsafe_production; gunicorn runs no system checks itself).
`make run` and `make serve` export config.settings.dev, the browser tests their own module.

Under gunicorn, everything loaded so far is frozen out of the garbage collector (`gc.freeze()`).
With `--preload` (deploy/systemd/sdg87-web@.service, deploy/Containerfile) this module is
imported once, in the master, before it forks the workers: the workers' collections then never
write to those objects, so their memory pages stay shared between the workers instead of being
copied into each. Measured with 3 workers after 360 requests (docs/deployment.md): 518 MB of
PSS for master and workers with --preload alone, 436 MB with the freeze (524 MB without either).
Without --preload each worker freezes its own objects: nothing shared, they are only never
scanned again. Outside gunicorn (runserver, tests importing this module) nothing is frozen.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

from sdg87.core.checks import refuse_unsafe_production

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
refuse_unsafe_production()

# gunicorn's Arbiter sets SERVER_SOFTWARE=gunicorn/<version> before it loads the application.
if os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn/"):
    gc.collect()  # the garbage of start-up is freed, not frozen
    gc.freeze()
