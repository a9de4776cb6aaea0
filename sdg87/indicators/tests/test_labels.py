from types import SimpleNamespace

from django.utils import translation

from sdg87.indicators import labels


def test_number_rounds_instead_of_truncating():
    """30.67 with no decimals is 31 (Django's number_format alone would print 30)."""
    with translation.override("en"):
        assert labels.number(30.666, 0) == "31"
        assert labels.number(4.875, 1) == "4.9"
        assert labels.number(1234567, 0) == "1,234,567"


def test_number_follows_the_page_language():
    """French and Spanish use a decimal comma."""
    with translation.override("fr"):
        assert labels.number(5.9, 1) == "5,9"
    with translation.override("es"):
        assert labels.number(5.9, 1) == "5,9"


def test_format_value_by_unit():
    """Percentages get %, millions say million, rates say per 100,000."""
    pct = SimpleNamespace(unit="PERCENT", decimals=1)
    mil = SimpleNamespace(unit="MILLION_CHILDREN", decimals=1)
    rate = SimpleNamespace(unit="PER_100000_POP", decimals=2)
    with translation.override("en"):
        assert labels.format_value(5.9, pct) == "5.9%"
        assert labels.format_value(138.0, mil) == "138 million"
        assert labels.format_value(151.6, mil) == "151.6 million"
        assert labels.format_value(0.314, rate) == "0.31 per 100,000"
        assert labels.format_value(None, pct) == labels.NO_VALUE
