"""Settings for the server the browser tests start: the test settings, served like production
(DEBUG off, gunicorn), with WhiteNoise reading static files through the finders so that no
collectstatic run is needed."""

from config.settings.test import *  # noqa: F403

DEBUG = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
