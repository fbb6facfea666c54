"""The report in a real browser: headless Chromium opens it, shows it, runs none of its text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import Browser, require_chromium
from report_data import report_inputs

from pipeline.publish.report.html import render_html, write_html
from pipeline.publish.report.inputs import publishable

SECTIONS = ("summary", "priorities", "svid", "charts", "themes", "review", "method")

VISIBILITY = """
JSON.stringify(%s.map(id => {
  const el = document.getElementById(id);
  if (!el) return [id, false, 0];
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return [id, style.display !== 'none' && style.visibility !== 'hidden', box.height];
}))
"""


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    public, counts = publishable(report_inputs())
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_html(render_html(public, "lv", redactions=counts), path)
    return path


@pytest.mark.slow
def test_report_opens_in_chromium_with_every_section_visible_and_no_script_run(
    report_file: Path, tmp_path: Path
) -> None:
    import json

    binary = require_chromium()
    with Browser(binary) as browser:
        browser.open(report_file)
        # a proposal tried to set the title and to run an onerror handler: neither may run
        assert browser.evaluate("document.title") == (
            "Iedzīvotāju priekšlikumi: tēmas, SVID un prioritātes"
        )
        assert browser.evaluate("document.scripts.length") == 0
        assert browser.evaluate("document.querySelectorAll('img[onerror]').length") == 0
        visible = json.loads(browser.evaluate(VISIBILITY % json.dumps(list(SECTIONS))))
        for section, shown, height in visible:
            assert shown and height > 20, f"section {section} is not visible"
        page_text = browser.evaluate("document.body.innerText")
        assert "<script>document.title='pwned'</script>" in page_text  # shown as text
        assert "Stiprās puses" in page_text and "Ceļi un ielas" in page_text
        assert "29 123 456" not in page_text
        shot_dir = Path(os.environ.get("BALSIS_SCREENSHOT_DIR", tmp_path))
        shot = browser.screenshot(shot_dir / "report.png", full_page=True)
    assert shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
