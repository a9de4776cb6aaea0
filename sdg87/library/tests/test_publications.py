from sdg87.library.publications import on_publisher_domain


def test_a_copy_on_the_publishers_own_domain_is_the_publishers_page():
    """A copy found on one of the publishers' own domains (subdomains too) is their page; a
    copy on a UN country office's site or a look-alike domain stays a mirror."""
    ilo = ("International Labour Organization (IPEC)",)
    assert on_publisher_domain("https://www.ilo.org/x", ilo)
    assert on_publisher_domain("https://ilo.org/x", ("Conference of Labour Statisticians (ILO)",))
    assert not on_publisher_domain(
        "https://pakistan.un.org/y", ("International Labour Organization", "UNICEF")
    )
    assert not on_publisher_domain("https://notunodc.org/z", ("UNODC",))
    assert on_publisher_domain("https://www.unodc.org/z", ("UNODC",))
    assert not on_publisher_domain("https://www.unodc.org/z", ("Walk Free",))
