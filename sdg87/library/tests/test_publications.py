from sdg87.library.publications import on_publisher_domain, parse_publications, publication_list
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
    assert items[0].link == "" and items[0].copy_url == "https://example.org/s"
    assert items[1].link == "https://example.org/a"


def test_a_mirror_is_never_presented_as_the_source():
    """Without a publisher's URL or DOI, the entry has no link; the first place a copy was
    found is kept apart as `copy_url`. A DOI links through doi.org; ISBNs are kept; several
    publishers read "A; B"."""
    header = (
        "pub_id,title,publication_type,year,publisher,language,themes,isbn_or_doi,url,"
        "source_url,verification_status\n"
    )
    text = header + (
        "m,Mirrored,report,2021,ILO;UNICEF,en,,ISBN 978-92-2-1 (print); ISBN 978-92-2-2 (pdf),,"
        "https://www.docslib.org/doc/1;https://other.example,verified\n"
        "d,With DOI,article,2020,Wiley,en,,doi:10.1002/cl2.1116,,https://mirror.example/x,verified\n"
    )
    mirrored, with_doi = sorted(parse_publications(text), key=lambda p: p.pub_id != "m")
    assert mirrored.link == "" and mirrored.copy_url == "https://www.docslib.org/doc/1"
    assert mirrored.copy_host == "docslib.org"
    assert mirrored.publisher == "ILO; UNICEF"
    assert mirrored.isbns == ("978-92-2-1 (print)", "978-92-2-2 (pdf)")
    assert with_doi.link == "https://doi.org/10.1002/cl2.1116" and with_doi.copy_url == ""


def test_no_bundled_publication_links_a_mirror_as_its_source():
    """Every title link of the bundled bibliography is its `url` column (the publisher's
    page) or a DOI; entries known only from copies say so instead."""
    items = publication_list()
    mirrored = [p for p in items if p.copy_url]
    assert mirrored, "the bundled bibliography has entries known only from copies"
    for p in items:
        assert p.link in {p.url, f"https://doi.org/{p.doi}" if p.doi else ""}
        assert not (p.link and p.copy_url)


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


def test_a_copy_on_the_publishers_own_domain_is_the_publishers_page():
    """A copy found on one of the publishers' own domains (subdomains too) is their page; a
    copy on a UN country office's site or a look-alike domain stays a mirror."""
    header = "pub_id,title,year,publisher,url,source_url,verification_status\n"
    text = header + (
        "a,Own,2015,International Labour Organization (IPEC),,https://www.ilo.org/x,verified\n"
        "b,Office,2021,International Labour Organization;UNICEF,,https://pakistan.un.org/y,verified\n"
        "c,Lookalike,2012,UNODC,,https://notunodc.org/z,verified\n"
    )
    own, office, lookalike = sorted(parse_publications(text), key=lambda p: p.pub_id)
    assert own.link == "https://www.ilo.org/x" and own.copy_url == ""
    assert office.link == "" and office.copy_host == "pakistan.un.org"
    assert lookalike.link == "" and lookalike.copy_host == "notunodc.org"


def test_bundled_counts_of_publisher_pages_and_copies():
    """Of the verified entries, how many link the publisher (page or DOI) and how many are
    known only from a copy elsewhere; no copy is on a publisher's own domain."""
    items = publication_list()
    copies = [p for p in items if p.copy_url]
    assert not [p for p in copies if on_publisher_domain(p.copy_url, p.publishers)]
    assert len(items) - len(copies) >= 36
