"""Which web domains belong to which publishers: a copy of a publication found on one of its
publishers' own domains is the publisher's page, a copy anywhere else is a mirror (never shown
as the source). Used by the bundled table's reader (sdg87.library.ingest); the publications
themselves are database records (sdg87.library.models, read through sdg87.library.selectors).
"""

from __future__ import annotations

from urllib.parse import urlsplit

# The web domain of each publisher that has one, by a fragment of its name as the table spells
# it ("International Labour Organization (IPEC)", "20th International Conference of Labour
# Statisticians (ILO)"). A copy found on one of its publishers' own domains is the publisher's
# page, not a mirror; a copy on any other domain (UN country offices included) is a mirror.
PUBLISHER_DOMAINS: tuple[tuple[str, str], ...] = (
    ("International Labour Organization", "ilo.org"),
    ("(ILO)", "ilo.org"),
    ("UNICEF", "unicef.org"),
    ("UNODC", "unodc.org"),
    ("OECD", "oecd.org"),
    ("FAO", "fao.org"),
    ("International Organization for Migration", "iom.int"),
    ("Walk Free", "walkfree.org"),
    ("U.S. Department of Labor", "dol.gov"),
    ("U.S. Department of State", "state.gov"),
)


def on_publisher_domain(url: str, publishers: tuple[str, ...]) -> bool:
    """Whether `url` is on the web domain of one of `publishers` (subdomains included)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(
        fragment in name and (host == domain or host.endswith("." + domain))
        for name in publishers
        for fragment, domain in PUBLISHER_DOMAINS
    )
