// Small progressive enhancements on top of htmx; the portal works without this file.
(function () {
  "use strict";
  function announce(text) {
    var region = document.getElementById("statusmelding");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }
  // Views signal success with HX-Trigger: {"portal:melding": "Lagra."}
  document.body.addEventListener("portal:melding", function (event) {
    announce(event.detail && event.detail.value ? event.detail.value : "Lagra.");
  });
  // Errors htmx does not swap (403, 404, 500): say so instead of doing nothing.
  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var text = status === 403 ? "Du har ikkje lov til å gjere dette." :
      status === 404 ? "Fann ikkje det du ville endre. Last sida på nytt." :
      "Noko gjekk gale. Endringa di er ikkje lagra; prøv igjen.";
    announce(text);
    window.alert(text);
  });
  document.body.addEventListener("htmx:sendError", function () {
    announce("Fekk ikkje kontakt med portalen. Endringa di er ikkje lagra.");
  });
  // After a swap, move focus to the first field of a swapped-in form, or to an element
  // marked data-fokus, so keyboard users land where the change happened.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt;
    if (!root || !root.querySelector) return;
    var target = root.querySelector("[data-fokus]") ||
      root.querySelector("form input:not([type=hidden]), form select, form textarea");
    if (!target && root.matches && root.matches("[data-fokus]")) target = root;
    if (target) target.focus();
  });
})();
