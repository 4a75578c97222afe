"""The hosted site in a real browser: rendering, navigation, tabs, search, copy, safety."""

from __future__ import annotations

from typing import Any

from conftest import PageWatch, Served

PYTHON_PAGES = {
    "kb/python/": "README",
    "kb/python/QUICK-REFERENCE/": "QUICK-REFERENCE",
    "kb/python/PYTHON-COMPREHENSIVE-GUIDE/": "PYTHON-COMPREHENSIVE-GUIDE",
    "kb/python/PYTHON-SPECIFIC-PATTERNS/": "PYTHON-SPECIFIC-PATTERNS",
}
MOJIBAKE = ("â€", "âŒ", "âœ", "Ã", "ðŸ")
# The page's rendered text, less inline `code` (a guide page shows `âŒ` on purpose when it
# explains the repair); code blocks, where a persona's mojibake would show, are kept.
_VISIBLE_TEXT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll(":not(pre) > code").forEach(c => c.remove());
  document.documentElement.appendChild(body);
  body.style.position = "absolute";
  const text = body.innerText;
  body.remove();
  return text;
}"""
# A word of python-backend-engineer.md's body that is in no title, front matter or other page.
BODY_ONLY_WORD = "afterthought"


def _open(watch: PageWatch, site: Served, path: str) -> None:
    response = watch.page.goto(site.url + path, wait_until="load")
    assert response is not None
    assert response.status == 200, path


def _no_errors(watch: PageWatch) -> None:
    assert watch.page_errors == []
    assert watch.console_errors == []


def test_home_and_topic_readme_render_without_console_errors(
    watched: PageWatch, repo_site: Served
) -> None:
    _open(watched, repo_site, "")
    watched.page.wait_for_selector("h1")
    assert watched.page.title()
    watched.screenshot("home")
    _open(watched, repo_site, "kb/python/")
    heading = watched.page.inner_text("article h1")
    assert "python" in heading.lower()
    assert watched.page.locator("article table").count() >= 1  # the persona table
    watched.screenshot("python-readme")
    _no_errors(watched)


def test_nav_reaches_the_four_python_pages(watched: PageWatch, repo_site: Served) -> None:
    _open(watched, repo_site, "kb/python/")
    page = watched.page
    links = page.locator("nav.md-nav--primary a.md-nav__link")
    for path, name in PYTHON_PAGES.items():
        target = repo_site.url + path
        index = links.evaluate_all("(all, t) => all.findIndex(a => a.href === t)", target)
        assert index >= 0, f"the navigation has no link to {path}"
        links.nth(index).click()
        page.wait_for_url(target)
        page.wait_for_selector("article h1")
        watched.screenshot(f"nav-{name.lower()}")
    _no_errors(watched)


def test_pattern_card_tabs_switch_from_wrong_to_correct(
    watched: PageWatch, repo_site: Served
) -> None:
    _open(watched, repo_site, "kb/python/PYTHON-SPECIFIC-PATTERNS/")
    page = watched.page
    cards = page.locator(".tabbed-set").filter(has_text="Wrong").filter(has_text="Correct")
    assert cards.count() >= 8
    card = cards.first
    labels = card.locator(".tabbed-labels > label")
    assert "❌" in labels.nth(0).inner_text()
    assert "✅" in labels.nth(1).inner_text()
    blocks = card.locator(".tabbed-content > .tabbed-block")
    assert blocks.nth(0).is_visible()
    assert not blocks.nth(1).is_visible()
    card.scroll_into_view_if_needed()
    watched.screenshot("tabs-wrong")
    labels.nth(1).click()
    blocks.nth(1).wait_for(state="visible")
    assert not blocks.nth(0).is_visible()
    assert card.locator("input").nth(1).is_checked()
    watched.screenshot("tabs-correct")
    _no_errors(watched)


def test_search_finds_a_persona_by_a_word_of_its_body(
    watched: PageWatch, repo_site: Served
) -> None:
    _open(watched, repo_site, "")
    page = watched.page
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # Typed key by key, as a user does. With `fill` (the value set at once, one input
    # event) Material's search often never ran the query: results stayed empty however
    # long we waited; typed, the results appear at once.
    page.locator("input.md-search__input").press_sequentially(BODY_ONLY_WORD, delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=20_000)
    hrefs = [
        results.nth(i).locator("a").first.get_attribute("href") or ""
        for i in range(results.count())
    ]
    watched.screenshot("search")
    assert any("kb/python/" in href for href in hrefs), hrefs
    _no_errors(watched)


def test_code_blocks_have_a_copy_button(watched: PageWatch, repo_site: Served) -> None:
    _open(watched, repo_site, "kb/python/PYTHON-COMPREHENSIVE-GUIDE/")
    page = watched.page
    page.wait_for_selector("article pre > code")
    blocks = page.locator("article pre > code").count()
    # Material ≥ 9.7 puts the button in a code toolbar; older versions use .md-clipboard.
    copy = 'article pre button.md-clipboard, article pre button[data-md-type="copy"]'
    page.wait_for_selector(copy, state="attached")
    buttons = page.locator(copy).count()
    assert blocks > 0
    assert buttons == blocks
    _no_errors(watched)


def test_no_page_shows_mojibake(watched: PageWatch, repo_site: Served) -> None:
    found: dict[str, list[str]] = {}
    assert len(repo_site.pages) >= 10
    for path in repo_site.pages:
        _open(watched, repo_site, path)
        text = watched.page.evaluate(_VISIBLE_TEXT)
        bad = [m for m in MOJIBAKE if m in text]
        if bad:
            found[path] = bad
    assert found == {}
    assert watched.page_errors == []


def test_a_hostile_persona_executes_nothing(watched: PageWatch, hostile_site: Served) -> None:
    page = watched.page
    pages = [p for p in hostile_site.pages if p.startswith("kb/hostile/")] + ["kb/", ""]
    assert len(pages) == 6
    for path in pages:
        _open(watched, hostile_site, path)
        page.wait_for_timeout(100)  # give an injected onerror handler its chance to fire
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        inline = page.evaluate(
            "Array.from(document.scripts).filter(s => s.text.includes('__pwned')).length"
        )
        assert inline == 0, path
        assert page.locator("[onerror], [onmouseover], a[href^='javascript:']").count() == 0
        evil = page.locator("#evil-link")
        if evil.count():
            evil.first.click()
            assert page.evaluate("typeof window.__pwned") == "undefined", path
        page.mouse.move(10, 10)
    watched.screenshot("hostile-persona")
    assert watched.dialogs == []
    assert watched.page_errors == []


def test_the_hostile_text_is_shown_as_text(watched: PageWatch, hostile_site: Served) -> None:
    _open(watched, hostile_site, "kb/hostile/HOSTILE-COMPREHENSIVE-GUIDE/")
    body: Any = watched.page.inner_text("article")
    assert "You are a helper." in body
    assert "hover me" in body
