"""Citation records used by the citation tests (real publications of the bundled library)."""

from sdg87.library.citations.record import (
    CitationRecord,
    Issued,
    Organisation,
    Person,
    split_container,
)

# ilo-ge-cl-2017-en in data/library/publications.csv
ILO_REPORT = CitationRecord(
    type="global_estimate",
    title="Global estimates of child labour: Results and trends, 2012-2016",
    slug="ilo-ge-cl-2017-en",
    creators=(Organisation("International Labour Organization", "ILO"),),
    issued=Issued(2017, 9, 19),
    publisher="International Labour Office",
    isbns=("978-92-2-130152-3", "978-92-2-130153-0"),
    url="http://ilo.org/ipec/Informationresources/lang--en/index.htm",
    language="en",
)

_JAE = split_container("Journal of African Economies 21(5):723-760")

# kazianga-dewalque-alderman-2012-jae in data/library/evaluations.csv
ARTICLE = CitationRecord(
    type="impact_evaluation",
    title=(
        "Educational and Child Labour Impacts of Two Food-for-Education Schemes: "
        "Evidence from a Randomised Trial in Rural Burkina Faso"
    ),
    slug="kazianga-dewalque-alderman-2012-jae",
    creators=(
        Person("Kazianga", "Harounan"),
        Person("de Walque", "Damien"),
        Person("Alderman", "Harold"),
    ),
    issued=Issued(2012),
    container_title=_JAE.title,
    volume=_JAE.volume,
    issue=_JAE.issue,
    pages=_JAE.pages,
    doi="10.1093/jae/ejs010",
    language="en",
)

# ilo-ge-cl-2017-fr: a French edition (no English title case in Chicago)
FRENCH_REPORT = CitationRecord(
    type="global_estimate",
    title="Estimations mondiales du travail des enfants: résultats et tendances 2012-2016",
    slug="ilo-ge-cl-2017-fr",
    creators=(Organisation("Organisation internationale du Travail"),),
    issued=Issued(2017),
    publisher="Bureau international du Travail",
    language="fr",
)

HOSTILE = CitationRecord(
    type="report",
    title="<script>alert(1)</script> & 100% of R_&_D {x} ~ $5 #1 ^ \\end",
    slug="t-cite-hostile",
    creators=(Organisation("A & B <b>"), Person("O'Brien", "Seán")),
    issued=Issued(2020),
    publisher="P<i>",
    url="https://example.org/a?b=1&c=2",
)
