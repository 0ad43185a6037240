// Opens a sentence's comparison in the reader's side panel without leaving the page.
// Sentences live inside the article text, which carries hx-disable so nothing in an article's
// content is ever processed by htmx; clicks on them are therefore routed here, to htmx.ajax.
// Every state has a URL: opening pushes /articles/{id}?sentence={sid}, so Back closes the panel.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  var opener = null; // id of the sentence whose panel is open, to return focus to it

  function panel() {
    return document.getElementById("panel");
  }

  function load(url, history) {
    var target = panel();
    if (!target || !window.htmx) return false;
    var context = { source: target, target: target, swap: "outerHTML" };
    context[history] = url;
    window.htmx.ajax("GET", url, context);
    return true;
  }

  function openSentence(link) {
    var url = link.getAttribute("href").split("#")[0];
    if (!load(url, "push")) return false;
    opener = link.id;
    return true;
  }

  function closePanel() {
    var current = panel();
    if (!current || !current.classList.contains("open")) return false;
    return load(current.getAttribute("data-close"), "replace");
  }

  // Mark the sentence the open panel is about, and move focus where a keyboard user expects it.
  function sync(moveFocus) {
    var current = panel();
    if (!current) return;
    var chosen = current.getAttribute("data-sentence");
    document.querySelectorAll(".text a.s[aria-current]").forEach(function (link) {
      link.removeAttribute("aria-current");
    });
    if (chosen) {
      var link = document.getElementById("s-" + chosen);
      if (link) link.setAttribute("aria-current", "true");
      var title = document.getElementById("panel-title");
      if (moveFocus && title) title.focus({ preventScroll: true });
    } else if (moveFocus && opener) {
      var back = document.getElementById(opener);
      if (back) back.focus({ preventScroll: true });
    }
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest(".text a.s[data-sentence]");
    if (link) {
      if (openSentence(link)) event.preventDefault();
      return;
    }
    if (event.target.closest("#panel a.close") && closePanel()) event.preventDefault();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && closePanel()) event.preventDefault();
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "panel") sync(true);
  });

  // Requests htmx sends carry the CSRF token of a signed-in editor's page, as forms do.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) event.detail.headers["x-csrftoken"] = meta.getAttribute("content");
  });

  document.addEventListener("htmx:historyRestore", function () {
    sync(false);
  });
  // Uploads are a plain form post (it works without JavaScript); meanwhile say that
  // the article is being read and linked, and keep the button from sending it twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-progress]")) return;
    var status = document.querySelector(form.getAttribute("data-progress"));
    if (status) status.hidden = false;
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
  });

  // "Cite this": the citation is plain selectable text; with JavaScript a button copies it.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http on another host has no clipboard API: copy through a selected text area.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "vh";
    document.body.appendChild(area);
    area.select();
    var done = document.execCommand("copy");
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.querySelectorAll(".cite-copy[data-copy]").forEach(function (button) {
    button.hidden = false;
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".cite-copy[data-copy]");
    if (!button) return;
    var status = button.parentNode.querySelector(".cite-status");
    copyText(button.getAttribute("data-copy")).then(
      function () { if (status) status.textContent = "Copied."; },
      function () { if (status) status.textContent = "Select the citation and copy it."; }
    );
  });
})();
