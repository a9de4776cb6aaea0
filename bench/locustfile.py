"""The load mix of bench/load.py for locust (run by bench/load.py from var/bench-venv).

Anonymous visitors (nine in ten) and signed-in editors (one in ten), each waiting 0.5-2 s
between requests; task weights as in bench/load.py's docstring. Environment: SDG87_LOAD_EDITOR
(username), SDG87_LOAD_PASSWORD, SDG87_LOAD_SLUGS (comma-separated datasets the editor sees).
Every answer but 200 is a failure.
"""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task  # type: ignore[import-not-found,unused-ignore]

LANGS = ("en", "fr", "es")
COUNTRIES = ("KEN", "NPL", "BGD", "UGA", "PER", "LKA", "IND", "NGA", "BRA", "ETH", "MLI", "PAK")
TERMS = ("child labour", "travail des enfants", "trabajo infantil", "forced labour", "Nepal")


def lang() -> str:
    return random.choice(LANGS)


class Visitor(HttpUser):  # type: ignore[misc,unused-ignore]
    weight = 9
    wait_time = between(0.5, 2)

    @task(3)
    def home(self) -> None:
        self.client.get(f"/{lang()}/", name="page home")

    @task(4)
    def country(self) -> None:
        self.client.get(f"/{lang()}/countries/{random.choice(COUNTRIES)}/", name="page country")

    @task(3)
    def indicator(self) -> None:
        self.client.get(f"/{lang()}/indicators/SL_TLF_CHLDEA/", name="page indicator")

    @task(2)
    def datasets(self) -> None:
        self.client.get(f"/{lang()}/datasets/", name="page datasets")

    @task(5)
    def api_observations(self) -> None:
        self.client.get(
            f"/api/v1/observations?indicator=8.7.1&country={random.choice(COUNTRIES)}",
            name="api observations",
        )

    @task(1)
    def api_indicators(self) -> None:
        self.client.get("/api/v1/indicators", name="api indicators")

    @task(1)
    def csv_download(self) -> None:
        self.client.get("/api/v1/observations?indicator=8.7.1&format=csv", name="csv download")

    @task(2)
    def search(self) -> None:
        self.client.get(f"/{lang()}/search/?q={random.choice(TERMS)}", name="search")


class Editor(HttpUser):  # type: ignore[misc,unused-ignore]
    weight = 1
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        # Production settings mark the cookies Secure and the cluster speaks plain HTTP, so the
        # cookie jar would never send them back: the Cookie header is kept by hand.
        page = self.client.get("/en/accounts/login/", name="editor sign-in")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        csrf = re.search(r"csrftoken=([^;]+)", page.headers.get("Set-Cookie", ""))
        csrf_cookie = f"csrftoken={csrf.group(1)}" if csrf else ""
        answer = self.client.post(
            "/en/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": os.environ["SDG87_LOAD_EDITOR"],
                "password": os.environ["SDG87_LOAD_PASSWORD"],
            },
            headers={"Cookie": csrf_cookie},
            allow_redirects=False,
            name="editor sign-in",
        )
        session = re.search(r"sessionid=([^;]+)", answer.headers.get("Set-Cookie", ""))
        self.cookie = {"Cookie": f"sessionid={session.group(1)}" if session else ""}
        self.client.cookies.clear()
        self.slugs = os.environ["SDG87_LOAD_SLUGS"].split(",")

    def _get(self, path: str, name: str) -> None:
        with self.client.get(
            path, name=name, headers=self.cookie, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")

    @task(3)
    def mine(self) -> None:
        self._get("/en/datasets/mine/", "editor my datasets")

    @task(2)
    def dataset(self) -> None:
        self._get(f"/en/datasets/{random.choice(self.slugs)}/", "editor dataset page")
