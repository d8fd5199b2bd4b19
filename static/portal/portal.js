// Small progressive enhancements on top of htmx; the portal works without this file.
(function () {
  "use strict";
  var FORM_ERRORS = "Ikkje lagra: skjemaet har feil. Sjå merknadene ved felta.";
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
  // Forms that come back with errors (422) or after a conflicting edit (409): say so. A 409
  // that says why itself (HX-Trigger: a locked meeting) is read out from that instead.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var status = xhr ? xhr.status : 0;
    if (status === 422) announce(FORM_ERRORS);
    if (status === 409 && !xhr.getResponseHeader("HX-Trigger")) {
      announce("Ikkje lagra: nokon andre har endra dette i mellomtida. Sjå over og lagre på nytt.");
    }
  });
  // After a swap, move focus to where the change happened, so keyboard users land there:
  // the first field with an error, else the message about a conflicting edit, else an
  // element marked data-fokus; an editable item
  // (data-rad) that comes back after a save or a cancel gets it on the link that opens its
  // editor (its first htmx link), else on its first link or button; anything else on the
  // first field of a swapped-in form. Controls inside an editable item (its move buttons,
  // an upload form) are not where a save or a cancel should leave the user.
  // An item deleted in place (the answer is empty and the item is swapped out): focus
  // goes to its neighbour (the next item, else the one before, else what holds it), not to
  // the top of the page; the view's HX-Trigger message says what was deleted.
  function firstControl(item) {
    return item.querySelector("a[data-hx-get]") || item.querySelector("a[href], button");
  }
  function neighbour(item) {
    var sibling = item.nextElementSibling;
    while (sibling && !sibling.matches("[data-rad]")) sibling = sibling.nextElementSibling;
    if (!sibling) {
      sibling = item.previousElementSibling;
      while (sibling && !sibling.matches("[data-rad]")) sibling = sibling.previousElementSibling;
    }
    var found = sibling && firstControl(sibling);
    if (found) return found;
    var holder = item.parentElement && item.parentElement.closest("[data-rad], section");
    if (holder && holder.matches("[data-rad]")) return firstControl(holder);
    var heading = holder && holder.querySelector("h2, h3");
    if (heading && !heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    return heading || document.getElementById("innhald");
  }
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !event.detail.shouldSwap || event.detail.xhr.status !== 200) return;
    if (event.detail.serverResponse.trim() !== "") return;
    var item = target.closest("[data-rad]");
    if (!item) return;
    var next = neighbour(item);
    // The swap's own events fire on the removed item, which no longer reaches the body:
    // wait for the item to go, then move focus.
    var tries = 0;
    (function focusWhenGone() {
      if (!item.isConnected) {
        if (next && next.isConnected) next.focus();
      } else if (tries++ < 20) {
        window.setTimeout(focusWhenGone, 25);
      }
    })();
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt;
    if (!root || !root.querySelector || !root.isConnected) return;
    // A status line that arrives inside swapped content (say, the number of search hits)
    // is new to the page, and screen readers do not read new live regions: pass it on.
    var status = root.matches("[role=status]") ? root : root.querySelector("[role=status]");
    if (status && status.id !== "statusmelding") announce(status.textContent.trim());
    var target = root.querySelector("[aria-invalid=true]") || root.querySelector(".konflikt") ||
      root.querySelector("[data-fokus]");
    if (!target && root.matches("[data-fokus]")) target = root;
    if (!target && root.matches("[data-rad]")) {
      target = root.querySelector("a[data-hx-get]") || root.querySelector("a[href], button");
    }
    if (!target) {
      target = root.querySelector("form input:not([type=hidden]), form select, form textarea");
    }
    if (target) target.focus();
  });
  // A whole page that answers a form (an upload, a page of its own): take the user to the
  // first field with an error, to the message about a conflicting edit, or to the message
  // that says what was done, and read it out. A redirect to a part of the page
  // (#innkalling) keeps its place; the message is read.
  var invalid = document.querySelector("main form[method=post] [aria-invalid=true]");
  var conflict = document.querySelector("main form[method=post] .konflikt");
  var done = document.querySelector("main .meldingar");
  if (invalid) {
    invalid.focus();
    // A message the field points at (a wrong password) says more than the general one.
    var described = document.getElementById(invalid.getAttribute("aria-describedby") || "");
    var summary = described && described.classList.contains("feilmelding--skjema") ? described : null;
    announce(summary ? summary.textContent.trim() : FORM_ERRORS);
  } else if (conflict) {
    conflict.focus();
  } else if (done) {
    if (!window.location.hash) done.focus();
    announce(done.textContent.trim().replace(/\s+/g, " "));
  }
  // What a part of the page that updates itself says (data-kunngjer: the meeting pack being
  // built, then ready or failed) is read once when it changes, not again on every poll.
  var told = {};
  function tell() {
    document.querySelectorAll("[data-kunngjer]").forEach(function (el) {
      var text = el.getAttribute("data-kunngjer");
      if (told[el.id] === text) return;
      told[el.id] = text;
      announce(text);
    });
  }
  tell();
  document.body.addEventListener("htmx:afterSettle", tell);
  // Escape in an in-place editor does what its cancel link (data-avbryt) does.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    var form = event.target.closest("form");
    var cancel = form && form.querySelector("[data-avbryt]");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });
})();
