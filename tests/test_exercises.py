"""Every chapter as the reader meets it in the browser: learning objectives first, then at least
two numbered exercises, each followed by its own solution that stays folded until the reader opens
it and then answers in words before the code cell that computes the answer (with its output)."""

from __future__ import annotations

import re

import pytest

from conftest import toc_pages

pytestmark = pytest.mark.browser

CHAPTERS = [p for p in toc_pages()
            if p.removeprefix("book/") in {"rationale", "protocol", "endpoints", "statistics",
                                           "patients", "efficacy", "survival", "subgroups",
                                           "safety", "discussion", "appendix/reconstruction"}]
MIN_EXERCISES = 2
MIN_OBJECTIVES = 2
MIN_WORDS = 8
EXERCISE = "article div.exercise.admonition"
# togglebutton adds its button to every dropdown admonition once the DOM is loaded
TOGGLES_READY = """() => [...document.querySelectorAll('article .admonition.dropdown')]
    .every(e => e.querySelector(':scope > .admonition-title button.toggle-button'))"""


def heading(text: str) -> str:
    return text.replace("#", "").strip()


def objectives_problems(page) -> list[str]:
    first = page.locator("article h2").first
    if heading(first.inner_text()) != "Learning objectives":
        return [f"the first h2 is {heading(first.inner_text())!r}, not 'Learning objectives'"]
    items = page.locator("article section#learning-objectives li")
    return [] if items.count() >= MIN_OBJECTIVES else [f"{items.count()} learning objectives"]


def solution_problems(page, exercise, number: str) -> list[str]:
    """What is wrong with the solution that must directly follow ``exercise``."""
    ex_id = exercise.get_attribute("id")
    solution = exercise.locator("xpath=following-sibling::*[1]")
    is_solution = solution.count() == 1 and solution.evaluate(
        "e => e.matches('div.solution.admonition') && !!e.querySelector("
        f"':scope > .admonition-title a[href=\"#{ex_id}\"]')")
    if not is_solution:
        return [f"{number} is not followed by its solution"]
    body = solution.locator(":scope > section")
    if body.count() != 1:
        return [f"the solution to {number} has {body.count()} bodies"]
    if body.is_visible():
        return [f"the solution to {number} is shown before the reader opens it"]
    solution.locator(":scope > .admonition-title button.toggle-button").click()
    body.wait_for(state="visible", timeout=5000)
    problems = []
    first = body.locator(":scope > *").first
    words = len(re.findall(r"[A-Za-z]{2,}", first.inner_text()))
    if first.evaluate("e => e.tagName") != "P" or words < MIN_WORDS:
        problems.append(f"the solution to {number} does not open with a paragraph of words")
    cells = body.locator(":scope > div.cell")
    if cells.count() == 0:
        problems.append(f"the solution to {number} has no code cell")
    elif not cells.last.locator(".cell_output").inner_text().strip():
        problems.append(f"the code cell of the solution to {number} shows no output")
    elif any(c.locator(".cell_input").count() == 0 for c in cells.all()):
        problems.append(f"the solution to {number} hides its code")
    return problems


def exercise_problems(page) -> tuple[list[int], list[str]]:
    """The exercise numbers of the loaded page, and what is wrong with its exercises."""
    page.wait_for_function(TOGGLES_READY, timeout=10000)
    exercises = page.locator(EXERCISE).all()
    problems = [] if len(exercises) >= MIN_EXERCISES else [f"{len(exercises)} exercises"]
    numbers = []
    for exercise in exercises:
        title = exercise.locator(":scope > .admonition-title .caption-number").inner_text()
        match = re.fullmatch(r"Exercise (\d+)", title.strip())
        if not match:
            problems.append(f"an exercise is titled {title!r}")
            continue
        numbers.append(int(match.group(1)))
        problems += solution_problems(page, exercise, match.group(0))
    solutions = page.locator("article div.solution.admonition").count()
    if solutions != len(exercises):
        problems.append(f"{solutions} solutions for {len(exercises)} exercises")
    return numbers, problems


def test_every_chapter_opens_with_objectives_and_has_answered_exercises(page, site_url):
    numbers, problems = [], []
    for chapter in CHAPTERS:
        page.goto(f"{site_url}/{chapter}.html", wait_until="domcontentloaded")
        problems += [f"{chapter}: {p}" for p in objectives_problems(page)]
        found, wrong = exercise_problems(page)
        numbers += found
        problems += [f"{chapter}: {p}" for p in wrong]
    assert not problems, "\n".join(problems)
    assert numbers == list(range(1, len(numbers) + 1)), f"exercise numbers {numbers}"


def test_the_checks_fail_on_an_open_or_a_missing_solution(page, site_url):
    """Plant the two faults in a real page (the first solution not a dropdown, the second
    removed) and check that both are reported."""
    url = f"{site_url}/book/rationale.html"

    def planted(route):
        html = route.fetch().text()
        html = html.replace('class="solution dropdown admonition"',
                            'class="solution admonition"', 1)
        html = re.sub(r'<div class="solution dropdown admonition" id="sol-rationale-2">.*?'
                      r"</section>\s*</div>", "", html, count=1, flags=re.S)
        route.fulfill(body=html, content_type="text/html")

    page.route(url, planted)
    page.goto(url, wait_until="domcontentloaded")
    _, problems = exercise_problems(page)
    assert "the solution to Exercise 1 is shown before the reader opens it" in problems, problems
    assert "Exercise 2 is not followed by its solution" in problems, problems
    assert "1 solutions for 2 exercises" in problems, problems


def test_the_checks_fail_on_objectives_that_are_not_first(page, site_url):
    page.goto(f"{site_url}/book/rationale.html", wait_until="domcontentloaded")
    assert objectives_problems(page) == []
    page.evaluate("""() => { const s = document.querySelector('section#learning-objectives');
                            s.parentNode.appendChild(s); }""")
    assert objectives_problems(page) and "not 'Learning objectives'" in objectives_problems(page)[0]
