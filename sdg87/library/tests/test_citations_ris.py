"""RIS exports parse back with rispy: type, authors (organisations whole), dates, journal
fields; CRLF line ends and one ER per record."""

import rispy

from sdg87.library.citations.ris import ris
from sdg87.library.tests.citation_fixtures import ARTICLE, HOSTILE, ILO_REPORT


def test_report_and_article_round_trip_through_rispy():
    text = ris([ILO_REPORT, ARTICLE])
    assert text.count("\r\nER  - \r\n") == 2
    report, article = rispy.loads(text)
    assert report["type_of_reference"] == "RPRT"
    assert report["id"] == "ilo2017global"
    assert report["authors"] == ["International Labour Organization"]
    assert report["title"] == "Global estimates of child labour: Results and trends, 2012-2016"
    assert report["year"] == "2017"
    assert report["date"] == "2017/09/19/"
    assert report["publisher"] == "International Labour Office"
    assert report["issn"] == "978-92-2-130152-3; 978-92-2-130153-0"
    assert report["urls"] == ["http://ilo.org/ipec/Informationresources/lang--en/index.htm"]
    assert report["language"] == "en"

    assert article["type_of_reference"] == "JOUR"
    assert article["authors"] == ["Kazianga, Harounan", "de Walque, Damien", "Alderman, Harold"]
    assert article["journal_name"] == "Journal of African Economies"
    assert (article["volume"], article["number"]) == ("21", "5")
    assert (article["start_page"], article["end_page"]) == ("723", "760")
    assert article["doi"] == "10.1093/jae/ejs010"
    assert article["date"] == "2012///"


def test_values_stay_on_one_line_and_organisations_have_no_comma():
    text = ris([HOSTILE])
    (entry,) = rispy.loads(text)
    assert entry["authors"] == ["A & B <b>", "O'Brien, Seán"]
    assert entry["title"] == "<script>alert(1)</script> & 100% of R_&_D {x} ~ $5 #1 ^ \\end"
    record = ILO_REPORT.__class__(type="report", title="Line one\nTY  - JOUR", abstract="a\r\nb")
    (entry,) = rispy.loads(ris([record]))
    assert entry["type_of_reference"] == "RPRT"
    assert entry["title"] == "Line one TY - JOUR"
    assert entry["abstract"] == "a b"
