"""Local development (`make run`): DEBUG on unless SDG87_DEBUG says otherwise."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
