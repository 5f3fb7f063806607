"""The interactive API docs have their own Content-Security-Policy: the vendored Swagger UI only."""

import json
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class Assets(HTMLParser):
    """The URLs a page loads (scripts, styles, icons, images) and its inline scripts' types."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[dict] = []
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("src"):
                self.urls.append(attrs["src"])
            else:
                self._in_script = {"type": attrs.get("type"), "text": ""}
        elif tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag in ("img", "iframe", "embed", "object", "source") and (
            attrs.get("src") or attrs.get("data")
        ):
            self.urls.append(attrs.get("src") or attrs.get("data"))

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script["text"] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.inline_scripts.append(self._in_script)
            self._in_script = None


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.fixture
def docs(client):
    return client.get("/api/v1/docs")


def test_docs_have_a_policy_without_inline_or_eval_scripts(docs):
    assert docs.status_code == 200
    policy = directives(docs["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    sources = [s for values in policy.values() for s in values]
    assert not [s for s in sources if "unsafe" in s or "://" in s or s in ("*", "https:", "http:")]


def test_docs_load_only_same_origin_assets(docs):
    page = Assets()
    page.feed(docs.content.decode())
    assert any(url.endswith("swagger-ui-bundle.js") for url in page.urls)
    assert any(url.endswith("swagger-ui.css") for url in page.urls)
    for url in page.urls:
        assert url.startswith("/") and not url.startswith("//"), url
    # The only inline script is Swagger UI's settings, a JSON data block the browser never runs.
    assert [s["type"] for s in page.inline_scripts] == ["application/json"]
    settings = json.loads(page.inline_scripts[0]["text"])
    assert settings["url"] == "/api/v1/openapi.json"
    # No badge image from the public validator service.
    assert settings["validatorUrl"] is None


def test_other_pages_keep_the_site_policy(client):
    policy = directives(client.get("/api/v1/openapi.json")["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert "Content-Security-Policy" in client.get("/healthz")
