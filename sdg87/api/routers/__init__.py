"""The v1 routers, one per domain. The API is the interface layer: these modules depend on the
domain apps' selectors and models, and no domain app imports `sdg87.api`.

Each operation names its `operation_id`: the ids are part of the public OpenAPI contract (client
generators use them) and keep the names they had when the routers lived in the domain apps.
"""
