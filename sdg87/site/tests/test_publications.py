from sdg87.site.publications import parse_publications, publication_list

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
