"""What changed between two versions' snapshots (pure)."""

from sdg87.library.diff import FieldChange, snapshot_diff


def test_changed_fields_lists_and_entries() -> None:
    old = {
        "title": "Old",
        "year": 2020,
        "themes": ["child_labour", "education"],
        "creators": [{"family": "Doe", "given": "Jane", "name": "", "orcid": ""}],
        "doi": "",
        "isbns": [],
    }
    new = {
        "title": "New",
        "year": 2020,
        "themes": ["child_labour", "forced_labour"],
        "creators": [
            {"family": "Doe", "given": "Jane", "name": "", "orcid": "0000-0002-1825-0097"}
        ],
        "doi": "10.1000/x",
        "isbns": [],
    }
    assert snapshot_diff(old, new) == [
        FieldChange("title", "Old", "New"),
        FieldChange(
            "themes",
            "child_labour; education",
            "child_labour; forced_labour",
            added=("forced_labour",),
            removed=("education",),
        ),
        FieldChange(
            "creators",
            "Doe, Jane",
            "Doe, Jane (ORCID 0000-0002-1825-0097)",
            added=("Doe, Jane (ORCID 0000-0002-1825-0097)",),
            removed=("Doe, Jane",),
        ),
        FieldChange("doi", "", "10.1000/x"),
    ]
    assert snapshot_diff(new, new) == []
