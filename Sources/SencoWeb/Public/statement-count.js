// The evidence form's statement picker: "N statements chosen", kept up to date as boxes are
// ticked and announced politely, and each section's "(N ticked)". Progressive enhancement: without
// this script the form is the same form. A same-origin file, because the site's
// Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var picker = document.getElementById("statements");
  if (!picker) { return; }

  var live = document.createElement("p");
  live.id = "statements-count";
  live.className = "live-count";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  var hint = picker.querySelector(".hint");
  picker.insertBefore(live, hint ? hint.nextSibling : null);

  function words(count) {
    if (count === 0) { return "No statements chosen"; }
    return count === 1 ? "1 statement chosen" : count + " statements chosen";
  }

  function update() {
    var total = 0;
    var sections = picker.querySelectorAll("details.picker");
    for (var i = 0; i < sections.length; i++) {
      var ticked = sections[i].querySelectorAll("input[name=statement]:checked").length;
      total += ticked;
      var count = sections[i].querySelector("summary .count");
      if (count) { count.textContent = "(" + ticked + " ticked)"; }
    }
    live.textContent = words(total);
  }

  picker.addEventListener("change", function (event) {
    if (event.target && event.target.name === "statement") { update(); }
  });
  update();
}());
