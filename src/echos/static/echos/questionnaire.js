// Conditional questions: show a question only while the answer it depends on says so.
// The server applies the same rule, so this is comfort, not enforcement.
(function () {
  "use strict";

  function answers(form, code) {
    return Array.prototype.slice.call(form.querySelectorAll('[name="q_' + code + '"]'))
      .filter(function (el) { return (el.type !== "radio" && el.type !== "checkbox") || el.checked; })
      .map(function (el) { return el.value; });
  }

  function refresh(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (box) {
      var values = answers(form, box.dataset.showIf);
      var wanted = box.dataset.showValue;
      var visible = box.dataset.showMode === "contains" ? values.indexOf(wanted) !== -1 : values[0] === wanted;
      box.hidden = !visible;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("questionnaire");
    if (!form) return;
    form.addEventListener("change", function () { refresh(form); });
    refresh(form);
  });
})();
