/*
 * Instant search for the book (blogbook.ext.instant_search).
 *
 * Nothing of the index is fetched until the reader focuses or types in a search box. Then
 * `_search/meta.js` (pages, shard keys, synonym groups) and `_static/language_data.js` (the
 * Korean stemmer the index was built with) load, and each query word fetches the one shard
 * its stem falls in. Every index file is a script calling BlogSearch.add(), so this works
 * from file:// as well as from a server. Text from posts only ever reaches the page through
 * textContent / createTextNode: a post is data, never markup.
 */
(function () {
  "use strict";
  var ROOT = document.documentElement.dataset.content_root || "";
  var store = {};
  var pending = {};
  var LIMIT_BOX = 8;
  var LIMIT_PAGE = 50;

  window.BlogSearch = {
    add: function (name, data) {
      store[name] = data;
    }
  };

  /* A script that calls BlogSearch.add(name, ...); `check` for one that defines a global. */
  function loadScript(name, src, check) {
    var done = check || function () { return name in store; };
    if (!pending[name]) {
      pending[name] = new Promise(function (resolve, reject) {
        if (done()) return resolve(store[name]);
        var tag = document.createElement("script");
        tag.src = src;
        tag.async = true;
        tag.onload = function () {
          if (done()) resolve(store[name]);
          else reject(new Error("no data in " + src));
        };
        tag.onerror = function () {
          delete pending[name];
          reject(new Error("cannot load " + src));
        };
        document.head.appendChild(tag);
      });
    }
    return pending[name];
  }

  var meta = null;
  var keyOf = {};
  var membersOf = {};
  var phrases = [];

  /* The stemmer the index was built with (Sphinx's language_data.js, from ko_search). */
  function stemmer() {
    return loadScript("language", ROOT + "_static/language_data.js", function () { return !!window.KoSearch; });
  }
  function ready() {
    return Promise.all([loadScript("meta", ROOT + "_search/meta.js"), stemmer()]).then(function (r) {
      if (!meta) {
        meta = r[0];
        meta.groups.forEach(function (members, i) {
          membersOf[meta.keys[i]] = members;
          members.forEach(function (m) {
            keyOf[m] = meta.keys[i];
            if (m.indexOf(" ") !== -1) phrases.push(m.split(" "));
          });
        });
      }
      return meta;
    });
  }

  function fileName(key) {
    return Array.from(key).map(function (c) { return c.codePointAt(0).toString(16); }).join("-") || "_";
  }
  function shardKey(term) {
    var best = "";
    meta.shards.forEach(function (k) {
      if (k.length > best.length && term.indexOf(k) === 0) best = k;
    });
    return best;
  }
  function shard(key) {
    if (meta.shards.indexOf(key) === -1) return Promise.resolve({}); // no stem starts this way
    var name = "s/" + fileName(key);
    return loadScript(name, ROOT + "_search/" + name + ".js?v=" + meta.v);
  }
  function shardOf(term) {
    return shard(shardKey(term));
  }
  function fragment(page) {
    var name = "f/" + page[4];
    return loadScript(name, ROOT + "_search/" + name + ".js?v=" + meta.v);
  }

  /* ---- query -> terms ---------------------------------------------------------------- */

  var JAMO = /^[\u3131-\u314e]+$/;
  function parse(query) {
    var words = KoSearch.splitQuery(query.normalize("NFC"));
    var open = !/\s$/.test(query);
    var stops = window.stopwords || [];
    var terms = [];
    words.forEach(function (w, i) {
      var last = open && i === words.length - 1;
      if (JAMO.test(w)) return terms.push({ cho: w, last: last, stem: w });
      var lw = w.toLowerCase();
      var s = KoSearch.stemWord(w);
      if (!s) return;
      terms.push({
        word: lw, stem: s, last: last, latin: /^[a-z0-9]+$/.test(lw),
        stop: stops.indexOf(s) !== -1 || stops.indexOf(lw) !== -1
      });
    });
    var kept = terms.filter(function (t) { return !t.stop; });
    terms = kept.length ? kept : terms.filter(function (t) { return t.last; });
    phrases.forEach(function (p) {
      for (var i = 0; i + p.length <= terms.length; i++) {
        var hit = p.every(function (s, j) { return terms[i + j].stem === s; });
        if (hit) terms.splice(i, p.length, { stem: keyOf[p.join(" ")], word: "", last: false });
      }
    });
    return terms;
  }

  /* One edit apart: a letter changed, added, dropped, or two neighbours swapped. */
  function distance1(a, b) {
    if (Math.abs(a.length - b.length) > 1 || a === b) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    var ra = a.slice(i), rb = b.slice(i);
    if (ra.slice(1) === rb.slice(1) || ra.slice(1) === rb || ra === rb.slice(1)) return true;
    return ra.length > 1 && ra[0] === rb[1] && ra[1] === rb[0] && ra.slice(2) === rb.slice(2);
  }

  /* One term -> Map(index key -> factor): exact, prefix (the word being typed), one typo,
     or initial consonants. Aliases ("docker" -> "도커") are followed to their key. */
  function candidates(term) {
    var found = new Map();
    var add = function (k, f) { if (!found.has(k) || found.get(k) < f) found.set(k, f); };
    if (term.cho) {
      return loadScript("cho", ROOT + "_search/cho.js?v=" + meta.v).then(function (cho) {
        Object.keys(cho).forEach(function (c) {
          if (c === term.cho) cho[c].forEach(function (s) { add(s, 1); });
          else if (term.last && c.indexOf(term.cho) === 0) cho[c].forEach(function (s) { add(s, 0.8); });
        });
        return found;
      });
    }
    var key = keyOf[term.stem] || term.stem;
    var wanted = [shardOf(key)];
    var prefixes = term.last ? [term.stem, term.word].filter(Boolean) : [];
    if (term.last) {
      var longer = meta.shards.filter(function (k) { return k.length > 1 && k.indexOf(term.stem) === 0; });
      if (longer.length <= 4) longer.forEach(function (k) { wanted.push(shard(k)); });
      wanted.push(shardOf(term.stem));
    }
    return Promise.all(wanted).then(function (shards) {
      /* Completions of the word being typed, the common ones first and weighed by how
         common they are: `쿠버네` means 쿠버네티스 (on 7 pages), hardly 쿠버네티스용 (on 1). */
      var completions = [];
      shards.forEach(function (sh) {
        if (key in sh) add(key, 1);
        if (!prefixes.length) return;
        Object.keys(sh).forEach(function (k) {
          if (k !== key && prefixes.some(function (p) { return k.indexOf(p) === 0; })) {
            completions.push([k, Array.isArray(sh[k]) ? sh[k].length / 2 : 1]);
          }
        });
      });
      completions.sort(function (a, b) { return b[1] - a[1]; });
      var most = completions.length ? completions[0][1] : 1;
      completions.slice(0, 40).forEach(function (c) { add(c[0], 0.8 * c[1] / most); });
      if (!found.size && term.latin && term.word.length >= 5) {
        shards.forEach(function (sh) {
          Object.keys(sh).forEach(function (k) { if (distance1(term.stem, k)) add(k, 0.7); });
        });
      }
      return found;
    });
  }

  /* Map(key -> factor) -> Map(page -> best score), following aliases. */
  function postings(found) {
    var keys = Array.from(found.keys());
    return Promise.all(keys.map(function (k) { return shardOf(k); })).then(function (shards) {
      var aliased = [];
      shards.forEach(function (sh, i) {
        if (typeof sh[keys[i]] === "string") aliased.push([sh[keys[i]], found.get(keys[i])]);
      });
      return Promise.all(aliased.map(function (a) { return shardOf(a[0]); })).then(function (more) {
        /* A page with the word itself scores by it alone; pages reached only through a
           prefix, a typo or initials score by their best such word, times its factor. */
        var exact = new Map();
        var loose = new Map();
        var hits = new Set();
        var take = function (k, row, f) {
          if (!Array.isArray(row)) return;
          hits.add(k);
          var into = f >= 1 ? exact : loose;
          for (var j = 0; j < row.length; j += 2) {
            var s = row[j + 1] * f;
            if (!(into.get(row[j]) >= s)) into.set(row[j], s);
          }
        };
        shards.forEach(function (sh, i) { take(keys[i], sh[keys[i]], found.get(keys[i])); });
        more.forEach(function (sh, i) { take(aliased[i][0], sh[aliased[i][0]], aliased[i][1]); });
        var scores = new Map(loose);
        exact.forEach(function (s, d) { scores.set(d, s); });
        return { scores: scores, keys: hits };
      });
    });
  }

  function search(query) {
    return ready().then(function () {
      var terms = parse(query);
      if (!terms.length) return { pages: [], marks: new Set() };
      return Promise.all(terms.map(function (t) { return candidates(t).then(postings); }))
        .then(function (perTerm) {
          var marks = new Set();
          perTerm.forEach(function (p, i) {
            if (!terms[i].cho) marks.add(terms[i].stem);
            p.keys.forEach(function (k) {
              marks.add(k);
              (membersOf[k] || []).forEach(function (m) {
                m.split(" ").forEach(function (s) { marks.add(s); });
              });
            });
          });
          var total = new Map(perTerm[0].scores);
          perTerm.slice(1).forEach(function (p) {
            total.forEach(function (s, d) {
              if (p.scores.has(d)) total.set(d, s + p.scores.get(d));
              else total.delete(d);
            });
          });
          var ranked = Array.from(total.entries()).sort(function (a, b) {
            return b[1] - a[1] || a[0] - b[0]; // pages are stored newest first
          });
          return { pages: ranked.map(function (r) { return meta.pages[r[0]]; }), marks: marks };
        });
    });
  }

  /* ---- snippets: the best block of the page's own text, words marked by stem ----------- */

  var WORD = /[\p{L}\p{N}_]+/gu;
  function wordsOf(text) {
    var out = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) out.push([m.index, m.index + m[0].length, KoSearch.stemWord(m[0])]);
    return out;
  }
  function bestBlock(blocks, marks) {
    var best = null, bestScore = 0;
    blocks.forEach(function (b) {
      var ws = wordsOf(b[1]);
      var kinds = new Set(ws.filter(function (w) { return marks.has(w[2]); }).map(function (w) { return w[2]; }));
      var score = kinds.size * 10 + (b[2] ? 0 : 1);
      if (kinds.size && score > bestScore) { best = { block: b, words: ws }; bestScore = score; }
    });
    return best;
  }
  function appendMarked(parent, text, words, marks, from, to) {
    var at = from;
    words.forEach(function (w) {
      if (w[0] < from || w[1] > to || !marks.has(w[2])) return;
      parent.appendChild(document.createTextNode(text.slice(at, w[0])));
      var mark = document.createElement("mark");
      mark.className = "bs-mark";
      mark.textContent = text.slice(w[0], w[1]);
      parent.appendChild(mark);
      at = w[1];
    });
    parent.appendChild(document.createTextNode(text.slice(at, to)));
  }
  function fillSnippet(el, page, marks) {
    return fragment(page).then(function (blocks) {
      var best = bestBlock(blocks, marks);
      el.textContent = "";
      if (!best) {
        el.textContent = page[5] || (blocks.filter(function (b) { return !b[2]; })[0] || ["", ""])[1].slice(0, 120);
        return "";
      }
      var text = best.block[1];
      var first = best.words.filter(function (w) { return marks.has(w[2]); })[0];
      var start = Math.max(0, first[0] - 40);
      if (start > 0) start = text.indexOf(" ", start) + 1 || start;
      var end = Math.min(text.length, start + 140);
      if (end < text.length) end = text.lastIndexOf(" ", end) > first[1] ? text.lastIndexOf(" ", end) : end;
      if (start > 0) el.appendChild(document.createTextNode("… "));
      appendMarked(el, text, best.words, marks, start, end);
      if (end < text.length) el.appendChild(document.createTextNode(" …"));
      return best.block[0];
    });
  }

  /* ---- the combobox ------------------------------------------------------------------ */

  var uid = 0;
  function href(page, marks, anchor) {
    var hl = Array.from(marks).join(" ");
    return ROOT + page[0] + "?hl=" + encodeURIComponent(hl) + (anchor ? "#" + encodeURIComponent(anchor) : "");
  }

  function attach(input, host, limit, onSearchPage) {
    var id = "bs-" + uid++;
    var panel = document.createElement("div");
    panel.className = "bs-panel";
    var status = document.createElement("p");
    status.className = "bs-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var list = document.createElement("ul");
    list.className = "bs-results";
    list.id = id + "-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "검색 결과");
    panel.appendChild(status);
    panel.appendChild(list);
    host.appendChild(panel);
    input.setAttribute("placeholder", "검색어를 입력하세요");
    input.setAttribute("aria-label", "책 검색");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var active = -1, seq = 0, timer = 0, last = null;

    function options() { return list.querySelectorAll("[role=option]"); }
    function activate(i) {
      var opts = options();
      if (!opts.length) return;
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, j) { o.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }
    function render(result, query) {
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      var pages = result.pages.slice(0, limit);
      status.textContent = result.pages.length ? "결과 " + result.pages.length + "개" : "결과가 없습니다";
      input.setAttribute("aria-expanded", pages.length ? "true" : "false");
      panel.classList.toggle("bs-open", true);
      pages.forEach(function (page, i) {
        // The link is the option itself: an option holding a link nests two controls (axe).
        var li = document.createElement("li");
        li.setAttribute("role", "none");
        var a = document.createElement("a");
        a.id = id + "-opt-" + i;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        a.href = href(page, result.marks, "");
        a.tabIndex = -1;
        var title = document.createElement("span");
        title.className = "bs-title";
        title.textContent = page[1];
        var part = document.createElement("span");
        part.className = "bs-part";
        part.textContent = page[2];
        var snippet = document.createElement("span");
        snippet.className = "bs-snippet";
        a.appendChild(title);
        if (page[2]) a.appendChild(part);
        a.appendChild(snippet);
        li.appendChild(a);
        list.appendChild(li);
        fillSnippet(snippet, page, result.marks).then(function (anchor) {
          a.href = href(page, result.marks, anchor);
        }).catch(function () {});
      });
      if (!onSearchPage && result.pages.length > limit) {
        var more = document.createElement("li");
        more.className = "bs-more";
        more.setAttribute("role", "none");
        var all = document.createElement("a");
        all.href = ROOT + "search.html?q=" + encodeURIComponent(query);
        all.textContent = "결과 " + result.pages.length + "개 모두 보기";
        more.appendChild(all);
        list.appendChild(more);
      }
    }
    function run() {
      var query = input.value.trim();
      var mine = ++seq;
      if (!query) {
        list.textContent = "";
        status.textContent = "";
        panel.classList.remove("bs-open");
        input.setAttribute("aria-expanded", "false");
        return Promise.resolve();
      }
      if (query === last) return Promise.resolve();
      var t0 = performance.now();
      return search(input.value).then(function (result) {
        if (mine !== seq) return;
        last = query;
        render(result, query);
        panel.dataset.ms = String(Math.round(performance.now() - t0));
        panel.dataset.query = query;
      }).catch(function () {
        if (mine !== seq) return;
        status.textContent = "검색 색인을 불러오지 못했습니다";
      });
    }
    input.addEventListener("focus", function () { ready().catch(function () {}); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 60);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        activate(active + (e.key === "ArrowDown" ? 1 : -1));
      } else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        window.location.href = options()[active].href;
      }
    });
    list.addEventListener("mousemove", function (e) {
      var li = e.target.closest && e.target.closest("[role=option]");
      if (li) activate(Array.prototype.indexOf.call(options(), li));
    });
    return run;
  }

  /* ---- the page the reader lands on: mark the words, show the first ------------------- */

  function highlightPage(stems) {
    var article = document.querySelector("article.bd-article") || document.querySelector("main");
    if (!article) return;
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) {
      var p = walker.currentNode.parentNode;
      if (!p.closest("script, style, mark, .headerlink")) nodes.push(walker.currentNode);
    }
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      var words = wordsOf(text).filter(function (w) { return stems.has(w[2]); });
      if (!words.length) return;
      var frag = document.createDocumentFragment();
      appendMarked(frag, text, words, stems, 0, text.length);
      frag.querySelectorAll("mark").forEach(function (m) { m.className = "bs-hit"; });
      node.parentNode.replaceChild(frag, node);
    });
    var target = null;
    try { target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1))); }
    catch (e) { target = null; }
    var first = (target && target.querySelector("mark.bs-hit")) || article.querySelector("mark.bs-hit");
    if (first) {
      first.classList.add("bs-first");
      first.scrollIntoView({ block: "center" });
    }
  }

  function start() {
    var dialog = document.getElementById("pst-search-dialog");
    var dialogInput = dialog && dialog.querySelector("input[name=q]");
    if (dialogInput) attach(dialogInput, dialog, LIMIT_BOX, false);
    var results = document.getElementById("search-results");
    var pageInput = document.querySelector(".bd-search-container form.bd-search input[name=q]");
    if (results && pageInput) {
      var runPage = attach(pageInput, results, LIMIT_PAGE, true);
      var q = new URLSearchParams(location.search).get("q");
      if (q) {
        pageInput.value = q;
        runPage();
      }
    }
    var hl = new URLSearchParams(location.search).get("hl");
    if (hl) {
      stemmer().then(function () {
        var stems = new Set(hl.split(" ").filter(Boolean));
        highlightPage(stems);
      }).catch(function () {});
    }
  }
  /* For tests and the probe: the engine and a snippet, exactly as the box uses them. */
  window.BlogSearch.search = search;
  window.BlogSearch.snippet = function (page, marks) {
    var el = document.createElement("span");
    return fillSnippet(el, page, marks).then(function () { return el; });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
