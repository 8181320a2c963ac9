// Lindungi's only script of its own: small behaviours that need no inline code (CSP).
(function () {
  "use strict";
  // The main navigation folds behind a "Menu" button on small screens (CSS decides when).
  var nav = document.getElementById("main-nav");
  var toggle = nav && nav.querySelector(".nav-toggle");
  function setNavOpen(open) {
    if (!toggle) { return; }
    nav.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  if (toggle) {
    nav.classList.add("collapsible");
    toggle.hidden = false;
    toggle.addEventListener("click", function () { setNavOpen(!nav.classList.contains("open")); });
  }
  // Close open menus when the user clicks elsewhere or presses Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
    if (nav && !nav.contains(event.target)) { setNavOpen(false); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll("details.menu[open]").forEach(function (menu) { menu.removeAttribute("open"); });
      if (nav && nav.classList.contains("open")) { setNavOpen(false); toggle.focus(); }
    }
  });
  // Buttons with data-confirm ask before submitting (e.g. deactivating a user, closing a case).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
})();
