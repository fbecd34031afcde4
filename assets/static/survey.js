// Live progress count for the questionnaire. The page works without it:
// the server renders the count, and saving and sending are plain form posts.
(function () {
  "use strict";
  var form = document.getElementById("survey");
  var out = document.getElementById("answered");
  var bar = document.getElementById("progress");
  if (!form || !out || !bar) { return; }
  function count() {
    var seen = {}, n = 0;
    form.querySelectorAll("input[type=radio]:checked").forEach(function (r) {
      if (!seen[r.name]) { seen[r.name] = true; n++; }
    });
    form.querySelectorAll("textarea").forEach(function (t) {
      if (t.value.trim() !== "") { n++; }
    });
    out.textContent = String(n);
    bar.value = n;
  }
  form.addEventListener("change", count);
  form.addEventListener("input", count);
})();
