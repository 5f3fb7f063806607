"""The interactive API docs work under their Content-Security-Policy: no violation, no outside request."""

from urllib.parse import urlsplit

from playwright.sync_api import expect


def test_swagger_ui_renders_the_operations_within_its_policy(page, live_server, reference_data):
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
        "e.violatedDirective + ' ' + e.blockedURI));"
    )
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    expect(page.get_by_text("/api/v1/hubs", exact=True).first).to_be_visible()
    # Open an operation and try it out: its panels, icons and the request to the API itself.
    page.locator(".opblock-summary", has_text="/api/v1/countries").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".responses-wrapper .live-responses-table")).to_be_visible()
    assert page.evaluate("window.__violations") == []
    origin = urlsplit(live_server.url).netloc
    outside = [u for u in requested if not u.startswith("data:") and urlsplit(u).netloc != origin]
    assert outside == []
    assert not [e for e in page.js_errors if "Content Security Policy" in e]
