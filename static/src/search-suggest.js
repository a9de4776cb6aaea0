/*
 * Suggestions under the header's search box (templates/base.html), as progressive enhancement.
 *
 * Without JavaScript the box is a plain GET form to the results page. With it, typing two or
 * more characters asks /<lang>/search/suggest/?q= (JSON: [{title, url, kind, kind_label}],
 * plain text) after a short pause and lists the answers in an ARIA 1.2 combobox listbox:
 * Down/Up move through them (aria-activedescendant, focus stays in the box), Enter opens the
 * chosen one (or submits the search when none is chosen), Escape closes the list (a second
 * Escape clears the box), a click or tap opens one. A polite live region says how many came.
 * Loaded from a file (the CSP allows no inline script); sets no inline style (search.css).
 */
(function () {
  "use strict";

  if (!window.fetch || !document.querySelector || !window.JSON) return;

  var MIN_CHARS = 2;
  var DELAY_MS = 150;

  function enhance(input) {
    var url = input.getAttribute("data-suggest-url");
    var form = input.form;
    if (!url || !form || input.getAttribute("role") === "combobox") return;

    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "");
    list.hidden = true;

    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    form.appendChild(list);
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var cache = {};
    var lastQuery = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function select(index) {
      var options = list.querySelectorAll("[role=option]");
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (index >= 0 && options[index]) {
        options[index].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[index].id);
        if (options[index].scrollIntoView) options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(index) {
      if (items[index] && items[index].url) window.location.assign(items[index].url);
    }

    function show(results) {
      items = Array.isArray(results) ? results : [];
      while (list.firstChild) list.removeChild(list.firstChild);
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!items.length) {
        close();
        status.textContent = input.value.trim().length >= MIN_CHARS
          ? input.getAttribute("data-suggest-none") || ""
          : "";
        return;
      }
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.className = "suggest-title";
        title.textContent = String(item.title || "");
        option.appendChild(title);
        if (item.kind_label || item.kind) {
          var kind = document.createElement("span");
          kind.className = "suggest-kind";
          kind.textContent = String(item.kind_label || item.kind);
          option.appendChild(kind);
        }
        // mousedown would blur the box (and close the list) before the click arrives
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { go(i); });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = items.length + ". " + (input.getAttribute("data-suggest-help") || "");
    }

    function ask(query) {
      if (Object.prototype.hasOwnProperty.call(cache, query)) {
        show(cache[query]);
        return;
      }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      window.fetch(url + sep + "q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (results) {
        cache[query] = results;
        if (input.value.trim() === query && document.activeElement === input) show(results);
      }).catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < MIN_CHARS) {
        lastQuery = "";
        show([]);
        return;
      }
      if (query === lastQuery) return;
      timer = window.setTimeout(function () {
        lastQuery = query;
        ask(query);
      }, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "Down") {
        if (!open && items.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
          select(0);
        } else if (open) {
          select(active + 1 < items.length ? active + 1 : 0);
        }
        event.preventDefault();
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        if (open) {
          select(active > 0 ? active - 1 : items.length - 1);
          event.preventDefault();
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          go(active);
        }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (open) {
          close();
          event.preventDefault();
        } else if (input.value) {
          input.value = "";
          lastQuery = "";
          event.preventDefault();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () { close(); });
    input.addEventListener("focus", function () {
      if (items.length && input.value.trim().length >= MIN_CHARS) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest-url]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
