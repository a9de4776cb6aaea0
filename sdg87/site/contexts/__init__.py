"""Context builders of the public pages: one module per page (or family of pages), each page
view calling one `<page>_context(...)` that returns a frozen dataclass.

Builders read through the domain apps' selectors (observations only through
`sdg87.indicators.selectors`) and shape the result for a template; views parse the request,
call one builder and render `context.as_context()`.
"""
