/* vah-book, the ledger page (book/appendix/ledger.html): each topic's table sits in a
   <details> element that starts closed. This script
   - opens the topic that holds the target of a link (#entry-<id>, or a topic's heading) when
     the page loads and when the fragment changes, and scrolls to it;
   - runs the filter bar (status, basis, topic, text in the id or quantity) over the rows, which
     carry data-status, data-basis and data-section: rows that do not match are hidden, topics with no match are
     hidden, topics with a match open; clearing the filter restores the topics as they were.
   The bar is hidden in the page as built and shown here, since without this script it could
   not filter. Nothing is fetched; everything works from a file or any static server. */
(function () {
  "use strict";

  var sections = Array.prototype.slice.call(
    document.querySelectorAll("details.vah-ledger-section"));
  if (!sections.length) {
    return;
  }
  var bar = document.getElementById("vah-ledger-filter");

  /* The page section (heading and table) of a topic, when it holds that topic alone. */
  function block(details) {
    var section = details.parentElement && details.parentElement.closest("section");
    if (section && section.querySelectorAll("details.vah-ledger-section").length === 1) {
      return section;
    }
    return details;
  }

  function rows(details) {
    return Array.prototype.slice.call(details.querySelectorAll("tbody > tr"));
  }

  /* The text the box searches in a row (its id and quantity cells), lower case. */
  var columns = bar ? (bar.getAttribute("data-text-columns") || "0").split(" ").map(Number)
    : [0];
  var texts = new Map();
  function searched(row) {
    if (!texts.has(row)) {
      texts.set(row, columns.map(function (i) {
        return row.cells[i] ? row.cells[i].textContent : "";
      }).join(" ").toLowerCase());
    }
    return texts.get(row);
  }

  var saved = null; // which topics were open before a filter was set

  function apply() {
    var status = bar.elements.namedItem("status").value;
    var basis = bar.elements.namedItem("basis").value;
    var topic = bar.elements.namedItem("topic").value;
    var words = bar.elements.namedItem("text").value.trim().toLowerCase().split(/\s+/)
      .filter(Boolean);
    var active = Boolean(status || basis || topic || words.length);
    if (active && saved === null) {
      saved = sections.map(function (d) { return d.open; });
    }
    var shown = 0;
    var total = 0;
    var topics = 0;
    sections.forEach(function (details, i) {
      var inTopic = !topic || details.getAttribute("data-section") === topic;
      var all = rows(details);
      var n = 0;
      all.forEach(function (row) {
        var text = words.length ? searched(row) : "";
        var match = inTopic && (!status || row.getAttribute("data-status") === status)
          && (!basis || row.getAttribute("data-basis") === basis)
          && words.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) {
          n += 1;
        }
      });
      total += all.length;
      shown += n;
      block(details).hidden = n === 0;
      var label = details.querySelector(".vah-ledger-shown");
      if (label) {
        label.textContent = active && n ? " (" + n + " shown)" : "";
      }
      if (n) {
        topics += 1;
        if (active) {
          details.open = true;
        }
      }
      if (!active && saved !== null) {
        details.open = saved[i];
      }
    });
    if (!active) {
      saved = null;
    }
    var count = bar.querySelector("output");
    if (count) {
      count.textContent = active
        ? shown + " of " + total + " entries shown, in " + topics
          + (topics === 1 ? " topic." : " topics.")
        : "";
    }
  }

  /* Open the topic that holds the fragment's target and scroll to it. A target that the
     filter hides clears the filter first. A topic's heading (ledger-<section>) opens it. */
  function reveal() {
    var id = window.location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (error) { // a malformed escape: look the fragment up as it is
    }
    var target = id && document.getElementById(id);
    if (!target) {
      return;
    }
    if (bar && target.closest("[hidden]")) {
      bar.reset();
      apply();
    }
    var opened = false;
    for (var d = target.closest("details"); d; d = d.parentElement.closest("details")) {
      d.open = true;
      opened = true;
    }
    var section = target.closest("section");
    if (!opened && section && (target === section || target.parentElement === section)) {
      var inside = section.querySelectorAll("details.vah-ledger-section");
      if (inside.length === 1) {
        inside[0].open = true;
      }
    }
    target.scrollIntoView({block: "start"});
  }

  if (bar) {
    bar.hidden = false;
    bar.addEventListener("input", apply);
    bar.addEventListener("change", apply);
    bar.addEventListener("submit", function (event) { event.preventDefault(); });
    bar.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  }
  window.addEventListener("hashchange", reveal);
  reveal();
  // The layout may still move while the page loads (fonts, the theme): land again at the end.
  window.addEventListener("load", function () {
    if (window.location.hash) {
      reveal();
    }
  });
}());
