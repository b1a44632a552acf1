// blogbook.ext.post_listings: the tag filter of the tag index page. Check several tags and only
// the posts that carry all of them are listed; no server, no other file. Without this script
// the page still lists every tag as a link to its page.
(function () {
  "use strict";
  function start() {
    var filter = document.querySelector(".tag-filter");
    var list = document.querySelector("[data-tag-filter-list]");
    if (!filter || !list) return;
    var boxes = Array.prototype.slice.call(filter.querySelectorAll("input[type=checkbox]"));
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    var status = filter.querySelector(".tag-filter-status");
    var names = {};
    boxes.forEach(function (box) { names[box.value] = box.parentNode.firstChild.nextSibling.textContent.trim(); });
    function update() {
      var chosen = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
      var shown = 0;
      items.forEach(function (item) {
        var tags = (item.getAttribute("data-tags") || "").split(" ");
        var match = chosen.length > 0 && chosen.every(function (tag) { return tags.indexOf(tag) !== -1; });
        item.hidden = !match;
        if (match) shown += 1;
      });
      list.hidden = chosen.length === 0;
      if (chosen.length === 0) {
        status.textContent = "태그를 고르면 그 태그가 모두 붙은 글만 보입니다.";
      } else {
        var label = chosen.map(function (tag) { return names[tag] || tag; }).join(", ");
        status.textContent = label + " 태그가 모두 붙은 글 " + shown + "편";
      }
    }
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    filter.querySelector(".tag-filter-clear").addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      update();
      if (boxes[0]) boxes[0].focus();
    });
    filter.hidden = false;
    update();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
