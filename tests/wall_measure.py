"""What the wall browser tests measure in the rendered page (shared by the tests and by anyone
measuring a screen by hand): the share of visible characters set at 28 px or more, the scroll, the
emoji and symbol characters in the rendered text."""

from __future__ import annotations

from typing import Any

APP_SETTLED = (
    "[data-testid='stApp'][data-test-connection-state='CONNECTED'][data-test-script-state='notRunning']"
)
#: Wall type: a character counts as readable from ten metres at this size or more (CSS pixels at
#: 1920×1080).
WALL_PX = 28

#: Every visible text node on screen (inside the viewport, not hidden), its characters (white
#: space left out) and its computed font size; the page's scroll (the document and Streamlit's
#: scrolling main section).
MEASURE_JS = """
() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let total = 0, big = 0; const small = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\\s+/g, '');
    const el = node.parentElement;
    if (!text || !el || ['STYLE', 'SCRIPT', 'NOSCRIPT', 'TITLE'].includes(el.tagName)) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const box = el.getBoundingClientRect();  // a clipped skip link is 1×1 px
    if (box.width <= 2 || box.height <= 2) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0
      && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth);
    if (!rects.length) continue;
    const n = [...text].length, size = parseFloat(getComputedStyle(el).fontSize);
    total += n;
    if (size >= __PX__) { big += n; } else { small.push([size, text.slice(0, 50)]); }
  }
  const main = document.querySelector("[data-testid='stMain']");
  const doc = document.scrollingElement;
  return {
    total, big, share: total ? big / total : 0, small,
    scroll_y: Math.max(doc.scrollHeight - innerHeight, main ? main.scrollHeight - main.clientHeight : 0),
    scroll_x: Math.max(doc.scrollWidth - innerWidth, main ? main.scrollWidth - main.clientWidth : 0),
  };
}
""".replace("__PX__", str(WALL_PX))

#: Emoji and the symbol blocks a wall without an emoji font shows as boxes: arrows, technical
#: symbols, box drawing and geometric shapes (▲ ▼ ▶), miscellaneous symbols and dingbats (⚠ ✅ ❌),
#: supplemental arrows, and every emoji plane; variation selectors. Mathematical signs (≥ ≤ −)
#: and punctuation (— …) are ordinary text.
SYMBOLS_JS = r"""
() => {
  const re =
    /[\u2190-\u21FF\u2300-\u23FF\u2500-\u27BF\u2900-\u297F\u2B00-\u2BFF\uFE0F]|\p{Extended_Pictographic}/gu;
  return [...new Set(document.body.innerText.match(re) || [])];
}
"""


def settle(page: Any, timeout: float = 60_000) -> None:
    """Wait until the script run is over and the page has drawn (twice, to outlast a rerun)."""
    page.wait_for_selector(APP_SETTLED, timeout=timeout)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout)
    page.wait_for_timeout(800)
    page.wait_for_selector(APP_SETTLED, timeout=timeout)
