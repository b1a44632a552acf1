"""The script the preview adds to every page it serves: reload on a new build, show problems.

It listens to the server's event stream (server-sent events: one open request, no polling),
which sends this page's version and the current problems at once and again after every save.
A new version (the page or the sidebar changed) reloads the page where the reader
was (the first block in view and its distance from the top are kept in sessionStorage for the
reload). Problems show in a panel over the page; each one is set as text (`textContent`),
never as HTML: a post is data, and its title or message may hold `<`.
The browser reconnects by itself when the preview restarts; the new process's versions
differ, so the page reloads.
"""

from __future__ import annotations

import json

EVENTS_PATH = "/__preview/events"
STATE_PATH = "/__preview/state"
OVERLAY_ID = "preview-problems"

_SCRIPT = """<script>(() => {
  const version = %(version)s, key = "preview-scroll:" + location.pathname;
  // The reader's place is the first block in view and its distance from the top, not a pixel
  // offset: images above it may not have loaded yet in the reloaded page.
  const blocks = () => [...document.querySelectorAll(
    "article.bd-article :is(p, h1, h2, h3, h4, h5, h6, pre, li, img, table, figure)")];
  // The browser's own scroll restoration after `location.reload()` would land after ours.
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const place = JSON.parse(saved);
    const restore = () => {
      const block = blocks()[place.index];
      // "instant": the theme scrolls smoothly, and a restore half-way through its animation
      // would measure from a moving page.
      if (block) window.scrollBy({top: block.getBoundingClientRect().top - place.top, behavior: "instant"});
      else window.scrollTo({left: place.x, top: place.y, behavior: "instant"});
    };
    restore();
    addEventListener("load", restore, {once: true});
    // Lazy images above the place load after `load` and push it down: follow the article's
    // size for a moment, until the reader scrolls by hand.
    const article = document.querySelector("article.bd-article");
    if (article && window.ResizeObserver) {
      const follow = new ResizeObserver(restore);
      const stop = () => follow.disconnect();
      follow.observe(article);
      setTimeout(stop, 3000);
      for (const type of ["wheel", "touchstart", "keydown", "mousedown"]) addEventListener(type, stop, {once: true});
    }
  }
  const remember = () => {
    const list = blocks(), index = list.findIndex((b) => b.getBoundingClientRect().bottom > 0);
    const top = index < 0 ? 0 : list[index].getBoundingClientRect().top;
    sessionStorage.setItem(key, JSON.stringify({index, top, x: window.scrollX, y: window.scrollY}));
  };
  const show = (problems) => {
    let panel = document.getElementById("%(overlay)s");
    if (!problems.length) { if (panel) panel.remove(); return; }
    if (!panel) {
      panel = document.createElement("div");
      panel.id = "%(overlay)s";
      panel.setAttribute("role", "alert");
      panel.style.cssText = "position:fixed;z-index:2147483647;left:0;right:0;bottom:0;max-height:50vh;" +
        "overflow:auto;margin:0;padding:1em 1.25em;background:#2b0b0b;color:#ffe4e4;" +
        "font:14px/1.5 ui-monospace,monospace;border-top:4px solid #e5484d;box-shadow:0 -4px 16px #0006";
      document.body.appendChild(panel);
    }
    panel.replaceChildren();
    const head = document.createElement("strong");
    head.textContent = "미리보기: 고칠 곳이 있어 마지막으로 성공한 빌드를 보여 줍니다" +
      " (preview: showing the last good build)";
    const list = document.createElement("pre");
    list.style.cssText = "margin:.5em 0 0;white-space:pre-wrap;font:inherit";
    list.textContent = problems.join("\\n");
    panel.append(head, list);
  };
  const events = new EventSource("%(events)s?page=" + encodeURIComponent(location.pathname));
  events.onmessage = (message) => {
    const state = JSON.parse(message.data);
    if (state.version !== version) {
      remember();
      events.close();
      location.reload();
      return;
    }
    show(state.problems);
  };
})();</script>"""


def reload_script(version: str) -> bytes:
    """The script for a page served at `version` (its own; JSON-encoded: a string in JS)."""
    values = {"version": json.dumps(version), "overlay": OVERLAY_ID, "events": EVENTS_PATH}
    return (_SCRIPT % values).encode("utf-8")
