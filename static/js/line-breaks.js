/*
 * Japanese headings and labels break between phrases (文節), never inside a word.
 *
 * BudouX (static/vendor/budoux/) splits the Japanese text of the elements listed below into
 * phrases; this script puts a <wbr> at each phrase boundary and marks the element `.phrases`,
 * which lets its lines break only there (site.css, "Line breaks"). It runs in every browser,
 * Chromium's included: Chromium's own `word-break: auto-phrase` splits era years and dates
 * (「令和／7年度」, 「2022年／10月／1日」), which these pages are full of, and Safari and Firefox
 * have nothing of the kind. See docs/conventions.md, "Line breaks".
 *
 * It also wraps each figure the server wrote into plain text (messages formatted in Python) in
 * the span the template filters put around theirs, so that it does not break either.
 *
 * Before the script has run, and without JavaScript, Chromium uses its own phrase breaking
 * and other browsers break Japanese text as they always do; the figures from the template
 * filters never break (CSS alone).
 */
(function () {
  "use strict";

  // The elements that break between phrases: the same list as in site.css.
  var TARGETS = [
    "h1", "h2", "h3", "h4", "h5", "h6", "caption", "th", "td", "dt", "label", "legend",
    "summary", "button", ".button", "nav li", ".card__title", ".card__meta",
  ].join(", ");
  // Not text that reads as words.
  var SKIPPED = "code, kbd, samp, script, style, svg, input, select, textarea";
  // Text that names a command (a button, a field's label, a fieldset's legend, a navigation
  // link) is left as written: browsers count a <wbr> as a space in the accessible name
  // (「自分の 対応待ち」), and speech input matches such names against the visible words. These
  // are short and seldom wrap; Chromium's own phrase breaking (CSS) still applies to them.
  // Headings and table cells, which do wrap, are broken between phrases, links in them too.
  var NAMING = "button, .button, label, legend, summary, nav a, [role=button], [role=tab]";

  var script = document.currentScript;
  if (!script) {
    return;
  }

  function isJapanese(node) {
    var owner = node.parentElement && node.parentElement.closest("[lang]");
    return !!owner && /^ja\b/i.test(owner.getAttribute("lang"));
  }

  // Whether lines may break inside the element's text at all: figures, status badges and other
  // text set `white-space: nowrap` must get no <wbr>, which Chromium breaks at even there.
  var wrapping = new Map();
  function wraps(element) {
    if (!wrapping.has(element)) {
      var style = getComputedStyle(element);
      var mode = style.textWrapMode || style.whiteSpace;
      wrapping.set(element, mode !== "nowrap" && style.whiteSpace !== "pre");
    }
    return wrapping.get(element);
  }

  // The runs of Japanese text inside `element` that read as one line of words: text nodes in
  // document order, a run ending where the text leaves Japanese or reaches a part that never
  // breaks (a figure inside a heading, say).
  function runsOf(element) {
    var runs = [];
    var current = [];
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      var parent = node.parentElement;
      if (parent.closest(SKIPPED) || parent.closest(NAMING) || !wraps(parent) ||
          !isJapanese(node)) {
        if (current.length) {
          runs.push(current);
          current = [];
        }
        continue;
      }
      current.push(node);
    }
    if (current.length) {
      runs.push(current);
    }
    return runs;
  }

  // A <wbr> at each of the parser's boundaries inside the run's text; whether the run has any
  // Japanese text to keep whole between them.
  function markRun(parser, nodes) {
    var text = nodes.map(function (node) { return node.data; }).join("");
    if (!/\S/.test(text)) {
      return false;
    }
    var boundaries = parser.parseBoundaries(text);
    var start = 0;
    nodes.forEach(function (node) {
      var end = start + node.data.length;
      var inside = boundaries.filter(function (at) { return at >= start && at < end; });
      // Split from the end so the earlier offsets stay valid.
      for (var i = inside.length - 1; i >= 0; i--) {
        var offset = inside[i] - start;
        var rest = offset > 0 ? node.splitText(offset) : node;
        rest.parentNode.insertBefore(document.createElement("wbr"), rest);
      }
      start = end;
    });
    return true;
  }

  // Figures the server wrote into plain text (the messages of checks and errors, formatted in
  // Python) get the same unbreakable span as those from the template filters.
  var FIGURE = /¥\d[\d,]*|\d[\d,]*(?:\.\d+)?(?:円|%)|\d{1,3}(?:,\d{3})+/g;
  function keepFiguresWhole(root) {
    var found = [];
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      FIGURE.lastIndex = 0;
      if (FIGURE.test(node.data) && !node.parentElement.closest(".amount, " + SKIPPED)) {
        found.push(node);
      }
    }
    found.forEach(function (node) {
      var text = node.data;
      var parts = document.createDocumentFragment();
      var last = 0;
      text.replace(FIGURE, function (figure, at) {
        if (at > last) {
          parts.appendChild(document.createTextNode(text.slice(last, at)));
        }
        var span = document.createElement("span");
        span.className = "amount";
        span.textContent = figure;
        parts.appendChild(span);
        last = at + figure.length;
        return figure;
      });
      if (last < text.length) {
        parts.appendChild(document.createTextNode(text.slice(last)));
      }
      node.parentNode.replaceChild(parts, node);
    });
  }

  function apply(parser) {
    keepFiguresWhole(document.querySelector("main") || document.body);
    // First read (computed styles), then write: a style read after each change would make the
    // browser recompute the page's styles once per element.
    var work = [];
    var elements = document.querySelectorAll(TARGETS);
    for (var i = 0; i < elements.length; i++) {
      var element = elements[i];
      // A target inside another (a label in a table cell) is done with its outer one.
      if (!element.parentElement || !element.parentElement.closest(TARGETS)) {
        work.push({ element: element, runs: runsOf(element) });
      }
    }
    work.forEach(function (item) {
      var marked = false;
      item.runs.forEach(function (run) {
        marked = markRun(parser, run) || marked;
      });
      if (marked) {
        item.element.classList.add("phrases");
      }
    });
    document.documentElement.setAttribute("data-phrases", "done");
  }

  Promise.all([import(script.dataset.budouxParser), import(script.dataset.budouxModel)])
    .then(function (modules) {
      var parser = new modules[0].Parser(modules[1].model);
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", function () { apply(parser); });
      } else {
        apply(parser);
      }
    })
    .catch(function (error) {
      // The page reads as before: only the line breaks are ordinary ones.
      console.warn("Phrase line breaks unavailable:", error);
    });
})();
