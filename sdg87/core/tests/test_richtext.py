"""Rich text is sanitised in one place (core.html) and rendered with the `sanitised` filter,
so a description that reached the database without the services (an old row, a raw update)
is still rendered without scripts, styles, event handlers or javascript: links."""

from __future__ import annotations

from django.template import Context, Template

DIRTY = (
    '<p onclick="x()">Hi <strong>there</strong></p><script>alert(1)</script>'
    '<meta http-equiv="refresh" content="0;url=https://evil.example"><style>p{}</style>'
    '<a href="javascript:alert(1)">j</a><a href="https://ilo.org">ILO</a>'
)


def test_the_filter_keeps_structure_and_drops_everything_active() -> None:
    html = Template("{% load richtext %}{{ text|sanitised }}").render(Context({"text": DIRTY}))
    assert "<p>Hi <strong>there</strong></p>" in html
    assert '<a href="https://ilo.org" rel="noopener noreferrer">ILO</a>' in html
    for active in ("<script", "onclick", "<meta", "<style", "javascript:"):
        assert active not in html


def test_empty_and_missing_values_render_nothing() -> None:
    template = Template("{% load richtext %}[{{ text|sanitised }}]")
    assert template.render(Context({"text": None})) == "[]"
    assert template.render(Context({})) == "[]"
