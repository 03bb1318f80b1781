// The 登録番号 input of the carry-out and disposal request forms, shown instead of a select when the body has more
// media than a select can usefully offer: suggestions from the server as the clerk types (登録番号・製品名).
// Without this script the input still works: the server resolves the number typed and says why it refuses one.
// The wording comes from the input's data-* attributes (translated by the page); no inline script (CSP).
(function () {
  "use strict";
  var DELAY_MS = 200;

  function setUp(input) {
    var url = input.getAttribute("data-medium-search");
    if (!url || !window.fetch) return;
    var field = input.parentNode;
    var listId = input.id + "_suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "medium-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    list.setAttribute("aria-label", input.getAttribute("data-list-label") || "");
    var note = document.createElement("p");
    note.className = "help medium-suggestions-note";
    note.setAttribute("aria-live", "polite");
    field.classList.add("medium-picker");
    input.insertAdjacentElement("afterend", note);
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var timer = null;
    var asked = 0;
    var active = -1;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      Array.prototype.forEach.call(all, function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({block: "nearest"});
    }

    function pick(option) {
      input.value = option.getAttribute("data-number");
      note.textContent = option.textContent;
      close();
      input.focus();
    }

    function show(data) {
      list.textContent = "";
      (data.results || []).forEach(function (medium, i) {
        var option = document.createElement("li");
        option.id = listId + "_" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-number", medium.number);
        option.textContent = medium.label;
        list.appendChild(option);
      });
      var count = list.children.length;
      note.textContent = count ? (data.more ? input.getAttribute("data-more-text") || "" : "")
        : input.getAttribute("data-none-text") || "";
      list.hidden = !count;
      input.setAttribute("aria-expanded", count ? "true" : "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function ask() {
      var mine = ++asked;
      var query = input.value.trim();
      fetch(url + "?q=" + encodeURIComponent(query), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          if (mine === asked && document.activeElement === input) show(data);
        })
        .catch(function () {
          if (mine !== asked) return;
          close();
          note.textContent = input.getAttribute("data-error-text") || "";
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      note.textContent = "";
      if (!input.value.trim()) {
        asked++;
        close();
        return;
      }
      timer = window.setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) {
          ask();
        } else {
          highlight(active + (event.key === "ArrowDown" ? 1 : -1));
        }
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();  // picking a suggestion does not submit the form
        pick(options()[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
    // A press on a suggestion keeps the focus in the input (no blur that would close the list first).
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) pick(option);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-medium-search]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
