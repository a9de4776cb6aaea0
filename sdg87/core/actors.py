"""Who acts: the type of the `actor`/`user` arguments of permissions, selectors and services.

`Actor` is what Django puts in `request.user` (and what django-stubs says it is): the signed-in
user or an anonymous visitor. Functions that also accept `None` say what `None` means in their
docstring: for reads, an anonymous caller without a request (harvesters, public listings); for
writes, the system (data loading, the command line), which acts as nobody.

The project uses Django's own user model; were it ever swapped (AUTH_USER_MODEL), this module is
the one place to change.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

type Actor = User | AnonymousUser


def signed_in_user(actor: Actor | None) -> User | None:
    """The user behind `actor`, or None for an anonymous visitor or the system (what audit
    entries and other rows that name a person store)."""
    return actor if isinstance(actor, User) else None
