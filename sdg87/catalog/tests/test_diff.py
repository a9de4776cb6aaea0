from sdg87.catalog.diff import diff_files, diff_metadata, diff_rows, version_diff


def test_diff_rows_counts_added_removed_changed() -> None:
    """Keys only in the new summary are added, only in the old removed, differing hashes changed."""
    old = {"KEN": "a", "BGD": "b", "NPL": "c"}
    new = {"KEN": "a", "BGD": "B", "UGA": "d", "PER": "e"}
    assert diff_rows(old, new) == (2, 1, 1)


def test_metadata_diff_lists_only_changed_fields() -> None:
    """Unchanged fields are not reported; added keys are."""
    changes = diff_metadata(
        {"title": "A", "licence": "CC0-1.0"}, {"title": "B", "licence": "CC0-1.0", "themes": ["x"]}
    )
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("themes", None, ["x"]),
        ("title", "A", "B"),
    ]


def test_files_matched_by_id_then_title() -> None:
    """A replaced file keeps its id and is compared by rows; unmatched ones are added/removed."""
    old = [
        {
            "id": 1,
            "title": "main",
            "sha256": "x",
            "key_column": "id",
            "row_hashes": {"1": "a", "2": "b"},
        },
        {"id": 2, "title": "old notes", "sha256": "n", "row_hashes": None},
    ]
    new = [
        {
            "id": 1,
            "title": "main v2",
            "sha256": "y",
            "key_column": "id",
            "row_hashes": {"1": "a", "2": "c", "3": "d"},
        },
        {"id": 3, "title": "extra", "sha256": "z", "row_hashes": {"k": "h"}},
    ]
    files = {f.title: f for f in diff_files(old, new)}
    main = files["main v2"]
    assert (main.status, main.rows_added, main.rows_removed, main.rows_changed) == (
        "changed",
        1,
        0,
        1,
    )
    assert files["extra"].status == "added" and files["extra"].rows_added == 1
    assert files["old notes"].status == "removed" and files["old notes"].rows_compared is False


def test_different_key_columns_fall_back_to_whole_rows() -> None:
    """If the key column changed between versions, rows are compared by whole-row hash."""
    old = [
        {
            "id": 1,
            "title": "t",
            "sha256": "x",
            "key_column": "a",
            "row_hashes": {"1": "h1", "2": "h2"},
        }
    ]
    new = [
        {
            "id": 1,
            "title": "t",
            "sha256": "y",
            "key_column": "",
            "row_hashes": {"h1": "h1", "h3": "h3"},
        }
    ]
    (change,) = diff_files(old, new)
    assert (change.rows_added, change.rows_removed, change.rows_changed) == (1, 1, 0)
    assert change.key_column == ""


def test_identical_versions_have_no_changes() -> None:
    files = [
        {
            "id": 1,
            "title": "t",
            "sha256": "x",
            "url": "",
            "row_hashes": {"1": "a"},
            "key_column": "k",
        }
    ]
    diff = version_diff(
        old_number=1,
        old_metadata={"title": "A"},
        old_files=files,
        new_number=2,
        new_metadata={"title": "A"},
        new_files=files,
    )
    assert not diff.has_changes
