// Starts ReDoc on the API reference page (no inline script: CSP).
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  if (container && window.Redoc) {
    window.Redoc.init(container.dataset.specUrl, { hideDownloadButton: false }, container);
  }
})();
