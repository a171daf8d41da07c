/* Small behaviours of the pages, bound by data attributes (no inline scripts, so the
   Content-Security-Policy can forbid them). Delegated on the document, so content swapped
   in by htmx works too.
     <select data-autosubmit>                 submits its form when changed
     <form data-confirm="Question?">          asks before it is submitted
     <input type="checkbox" data-check-all="CSS selector">  ticks or clears those boxes */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("select[data-autosubmit]") && target.form) {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
    if (target.matches("input[type=checkbox][data-check-all]")) {
      document.querySelectorAll(target.getAttribute("data-check-all")).forEach(function (box) {
        box.checked = target.checked;
      });
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("form[data-confirm]") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  }, true);
})();
