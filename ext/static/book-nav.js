// Fill the sidebar from the book's one navigation file and mark the page being read.
(() => {
  const holder = document.getElementById("book-nav");
  if (!holder) return;
  const navUrl = new URL(holder.dataset.nav, location.href);
  const rootUrl = new URL(".", new URL("../", navUrl)); // the file sits in <root>/_static/
  const here = (url) => {
    const u = new URL(url, location.href);
    u.hash = "";
    u.search = "";
    return u.pathname.replace(/\/index\.html$/, "/");
  };
  fetch(navUrl, { cache: "no-cache" })
    .then((response) => (response.ok ? response.text() : ""))
    .then((html) => {
      if (!html) return;
      holder.insertAdjacentHTML("beforeend", html);
      const current = here(location.href);
      for (const link of holder.querySelectorAll("a.reference.internal")) {
        if (link.closest(".bd-sidenav__home-link")) continue;
        link.href = new URL(link.getAttribute("href"), rootUrl).href;
        if (here(link.href) !== current) continue;
        link.classList.add("current");
        for (let node = link.parentElement; node && node !== holder; node = node.parentElement) {
          if (node.tagName === "LI") node.classList.add("current", "active");
          if (node.tagName === "UL") node.classList.add("current");
          if (node.tagName === "DETAILS") node.open = true;
        }
        const details = link.parentElement.querySelector(":scope > details");
        if (details) details.open = true;
      }
    });
})();
