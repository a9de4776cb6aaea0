from sdg87.library.publications import parse_publications, publication_list
from sdg87.library.selectors import publication_filtered

HEADER = (
    "pub_id,title,publication_type,year,publisher,language,themes,url,source_url,"
    "verification_status\n"
)


def test_unverified_publications_are_not_listed():
    """Only rows marked `verified` are listed; newest first."""
    text = HEADER + (
        "a,Old report,report,2010,ILO,en,child_labour,https://example.org/a,,verified\n"
        "b,New report,report,2021,ILO,fr,forced_labour;migration,,https://example.org/s;x,verified\n"
        "c,Doubtful,report,2022,X,en,,https://example.org/c,,unverified\n"
    )
    items = parse_publications(text)
    assert [p.pub_id for p in items] == ["b", "a"]
    assert items[0].themes == ("forced_labour", "migration")
    assert items[0].link == "https://example.org/s"


def test_bundled_publications_load():
    """The bundled bibliography has verified entries in English, French and Spanish."""
    languages = {p.language for p in publication_list()}
    assert {"en", "fr", "es"} <= languages


def test_publications_filter_by_theme_and_language():
    """A theme and a language narrow the list; an empty filter keeps every entry."""
    everything = publication_filtered()
    assert everything == list(publication_list())
    french = publication_filtered(language="fr")
    assert french and all(p.language == "fr" for p in french)
    theme = everything[0].themes[0]
    themed = publication_filtered(theme=theme)
    assert everything[0] in themed and all(theme in p.themes for p in themed)
    assert publication_filtered(theme="no-such-theme") == []
