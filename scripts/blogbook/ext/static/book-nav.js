// Fill the sidebar from the book's one navigation file and mark the page being read.
// `data-loaded` on the holder says when the entries are in (tests wait for it).
//
// Served over http(s), the page fetches `book-nav.html` with `no-cache`: a page that an
// incremental build did not rewrite still gets the newest sidebar. Opened from disk (file://),
// a page may not fetch another file (the browser refuses it, CORS), but it may load a script:
// `book-nav-data.js` beside it holds the same HTML as one JSON string, and no HTTP cache stands
// between the page and the disk, so it is the current one too.
(() => {
  const holder = document.getElementById("book-nav");
  if (!holder) return;
  const navUrl = new URL(holder.dataset.nav, location.href);
  const rootUrl = new URL("../", navUrl); // the file sits in <root>/_static/
  const pathOf = (url) => {
    const u = new URL(url, location.href);
    return u.pathname.replace(/\/index\.html$/, "/");
  };
  const markCurrent = () => {
    const current = pathOf(location.href);
    for (const link of holder.querySelectorAll("a.reference.internal")) {
      if (link.closest(".bd-sidenav__home-link")) continue;
      link.href = new URL(link.getAttribute("href"), rootUrl).href;
      if (pathOf(link.href) !== current) continue;
      link.classList.add("current");
      for (let node = link.parentElement; node && node !== holder; node = node.parentElement) {
        if (node.tagName === "LI") node.classList.add("current", "active");
        if (node.tagName === "UL") node.classList.add("current");
        if (node.tagName === "DETAILS") node.open = true;
      }
      const details = link.parentElement.querySelector(":scope > details");
      if (details) details.open = true;
    }
  };
  const show = (html) => {
    holder.insertAdjacentHTML("beforeend", html);
    markCurrent();
    holder.dataset.loaded = "yes";
  };
  const failed = () => {
    holder.dataset.loaded = "failed";
  };
  const fromDisk = () => {
    const script = document.createElement("script");
    script.src = new URL("book-nav-data.js", navUrl).href;
    script.onload = () => (typeof window.bookNavHtml === "string" ? show(window.bookNavHtml) : failed());
    script.onerror = failed;
    document.head.appendChild(script);
  };
  if (location.protocol !== "http:" && location.protocol !== "https:") {
    fromDisk();
    return;
  }
  fetch(navUrl, { cache: "no-cache" })
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then(show)
    .catch(failed);
})();
