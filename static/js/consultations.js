/* Consultations, progressive enhancement: open a paragraph's comment thread in place.
   Without this script every "comments" link opens the thread's own page, which works the same. */
(function () {
  "use strict";
  function toggle(link, event) {
    var slot = document.getElementById(link.getAttribute("aria-controls"));
    if (!slot || !window.fetch) { return; }
    event.preventDefault();
    var expanded = link.getAttribute("aria-expanded") === "true";
    if (expanded) {
      slot.hidden = true;
      link.setAttribute("aria-expanded", "false");
      return;
    }
    if (slot.dataset.loaded === "true") {
      slot.hidden = false;
      link.setAttribute("aria-expanded", "true");
      return;
    }
    link.setAttribute("aria-busy", "true");
    fetch(link.dataset.partial, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        slot.innerHTML = html;
        slot.dataset.loaded = "true";
        slot.hidden = false;
        link.setAttribute("aria-expanded", "true");
        link.removeAttribute("aria-busy");
        slot.setAttribute("tabindex", "-1");
        slot.focus();
      })
      .catch(function () { window.location.href = link.href; });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-thread-toggle]") : null;
    if (link) { toggle(link, event); }
    var print = event.target.closest ? event.target.closest("[data-print]") : null;
    if (print) { window.print(); }
  });
  document.querySelectorAll("[data-print]").forEach(function (button) { button.hidden = false; });
  // Arriving at a paragraph's anchor opens its thread.
  if (window.location.hash && window.location.hash.indexOf("#p-") === 0) {
    var target = document.querySelector(window.location.hash + " [data-thread-toggle]");
    if (target && target.getAttribute("aria-expanded") === "false") { target.click(); }
  }
})();
