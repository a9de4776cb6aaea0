from sdg87.alliance.pathfinder import parse_pathfinders, pathfinder_countries, pathfinder_get

HEADER = "country,iso3,status,notes,source_url,verification_status\n"


def test_only_verified_rows_are_kept():
    """Rows not marked `verified` are never shown as fact."""
    text = HEADER + (
        "Kenya,KEN,named_as_pathfinder,,https://example.org/a,verified\n"
        "Nowhere,ZZA,roadmap_adopted,,https://example.org/b,unverified\n"
    )
    parsed = parse_pathfinders(text)
    assert set(parsed) == {"KEN"}
    assert parsed["KEN"].source_url == "https://example.org/a"


def test_bundled_table_has_known_pathfinders():
    """The bundled table marks Kenya and Nepal as Pathfinder Countries; lookups ignore case."""
    assert "KEN" in pathfinder_countries()
    assert pathfinder_get(iso3="npl") is not None
    assert pathfinder_get(iso3="ZZA") is None
