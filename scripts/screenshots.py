"""Full-page screenshots of every page of the built site, at 1280x900 and 390x844.

    python scripts/screenshots.py [ROOT]

Serves ``_build/html`` on a free port of 127.0.0.1, opens every page of ``_toc.yml`` in Debian's
chromium (Playwright, never ``playwright install``) and writes
``_build/screenshots/<page>-<width>.png``. For reviewers; not part of ``make test``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml
from local_site import CHROMIUM_ARGS, served

SIZES = ((1280, 900), (390, 844))
def pages(root: Path) -> list[str]:
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def main(root: Path) -> int:
    from playwright.sync_api import sync_playwright

    site, out = root / "_build" / "html", root / "_build" / "screenshots"
    chromium = shutil.which("chromium")
    if not (site / "index.html").exists() or chromium is None:
        print("screenshots: build the site first (make book) and install Debian's chromium",
              file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    with served(site) as port, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for width, height in SIZES:
            page = browser.new_page(viewport={"width": width, "height": height})
            for doc in pages(root):
                page.goto(f"http://127.0.0.1:{port}/{doc}.html", wait_until="load")
                page.evaluate("""async () => {
                    if (window.MathJax && MathJax.startup && MathJax.startup.promise)
                        await MathJax.startup.promise;
                    await document.fonts.ready;
                }""")
                path = out / f"{doc.replace('/', '-')}-{width}.png"
                page.screenshot(path=str(path), full_page=True)
                print(path.relative_to(root))
            page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
