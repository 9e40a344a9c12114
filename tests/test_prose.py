"""No hand-typed numbers in the narrative: every number a reader sees is glued from `vah`.

The test reads each page of the table of contents, drops what is not prose (front matter, code
cells and code blocks, inline code, roles such as {glue:text}, labels, link targets, math,
directive options other than captions and alt text), removes the allowlisted names of
``tests/prose_allowlist.txt``, and fails on any digit left standing alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, toc_page_files

ALLOWLIST = ROOT / "tests" / "prose_allowlist.txt"

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
CODE_FENCE = re.compile(
    r"^(`{3,}|~{3,})(\{code-cell\}|\{eval-rst\}|\{code-block\}|\{code\}|[\w+-]*)[ \t]*[^\n{]*\n"
    r".*?^\1\s*$",
    re.S | re.M,
)
MATH_BLOCK = re.compile(r"\$\$.*?\$\$", re.S)
MATH_INLINE = re.compile(r"\$[^$\n]+\$")
ROLE = re.compile(r"\{[\w:.-]+\}`[^`]*`")
INLINE_CODE = re.compile(r"`[^`\n]+`")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
LABEL = re.compile(r"^\([\w.:-]+\)=\s*$", re.M)
# the argument of {solution-start} is the label of the exercise it answers, not prose
SOLUTION_OF = re.compile(r"^(?:`{3,}|:{3,})\{solution-start\}[ \t]+[\w.:-]+[ \t]*$", re.M)
OPTION = re.compile(r"^:(?!alt:)[\w-]+:.*$", re.M)
DIRECTIVE_OPEN = re.compile(r"^(`{3,}|:{3,})\{[\w:-]+\}", re.M)
COMMENT = re.compile(r"<!--.*?-->", re.S)
URL = re.compile(r"https?://\S+")
NUMBER = re.compile(r"(?<![A-Za-z0-9_])\d+(?:[.,]\d+)*(?![A-Za-z0-9_])")


def allowlist() -> list[str]:
    phrases = []
    for line in ALLOWLIST.read_text().splitlines():
        phrase = line.split("  #", 1)[0].strip()
        if phrase and not line.startswith("#"):
            assert "  #" in line, f"allowlist entry without a reason: {line!r}"
            phrases.append(phrase)
    return sorted(phrases, key=len, reverse=True)


def prose(text: str) -> str:
    """The narrative of a MyST page with everything that is not prose blanked out."""
    for pattern in (FRONT_MATTER, CODE_FENCE, COMMENT, MATH_BLOCK, MATH_INLINE, ROLE,
                    INLINE_CODE, LINK_TARGET, LABEL, SOLUTION_OF, OPTION, URL):
        text = pattern.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return DIRECTIVE_OPEN.sub("", text)


def hand_typed_numbers(text: str, phrases: list[str]) -> list[tuple[int, str, str]]:
    found = []
    for number, line in enumerate(prose(text).splitlines(), start=1):
        cleaned = line
        for phrase in phrases:
            cleaned = cleaned.replace(phrase, " ")
        for match in NUMBER.finditer(cleaned):
            found.append((number, match.group(0), line.strip()))
    return found


@pytest.mark.parametrize("doc", toc_page_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_hand_typed_numbers(doc: Path):
    problems = hand_typed_numbers(doc.read_text(), allowlist())
    detail = "\n".join(f"  line {n}: {num!r} in: {line}" for n, num, line in problems)
    assert not problems, f"{doc.name}: numbers typed by hand (glue them from vah):\n{detail}"


def test_detector_catches_a_typed_statistic():
    page = "---\nkernelspec: {}\n---\n# Title\nThe CRc rate was 70.8 % ({glue:text}`crc`).\n"
    assert [num for _, num, _ in hand_typed_numbers(page, allowlist())] == ["70.8"]


def test_detector_ignores_code_roles_math_and_names():
    page = (
        "```{code-cell} ipython3\nx = 96\n```\n"
        "Response by ELN 2017 in FLT3 and IDH1/2 mutants, see {numref}`fig-1` and $p < 0.05$.\n"
        ":::{figure} a.svg\n:name: fig-2\n:width: 80%\n\nCaption.\n:::\n"
        "Run `vah dose --height 170cm`; see [the ledger](ledger-page).\n(lbl-3)=\n"
    )
    assert hand_typed_numbers(page, allowlist()) == []


def test_directive_bodies_are_prose_but_code_cells_are_not():
    page = ("```{glue:figure} fig-x\n:name: fig-x\n\nCaption: 40 of 96.\n```\n"
            "```python\nn = 5\n```\n")
    assert [num for _, num, _ in hand_typed_numbers(page, allowlist())] == ["40", "96"]


def test_exercise_labels_are_not_prose_but_exercise_text_is():
    page = ("```{exercise}\n:label: ex-x-1\n\nCount 68 patients.\n```\n\n"
            "```{solution-start} ex-x-1\n:label: sol-x-1\n:class: dropdown\n```\n\n"
            "Answer: 70.8 %.\n\n```{solution-end}\n```\n")
    assert [num for _, num, _ in hand_typed_numbers(page, allowlist())] == ["68", "70.8"]


def test_captions_and_alt_text_are_checked():
    page = ":::{figure} a.svg\n:alt: Bars for 68 patients\n\nCaption with 70.8 %.\n:::\n"
    assert [num for _, num, _ in hand_typed_numbers(page, allowlist())] == ["68", "70.8"]
