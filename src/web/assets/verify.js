// The report check: a file dropped anywhere on the page goes into the form's file input (the
// browser would otherwise open the PDF instead of the page), its name is shown, and a chosen
// file clears the typed id, since the file is what is checked. Without this script the form
// works the same with the file chooser.
(function () {
  "use strict";
  var form = document.getElementById("verify-form");
  var input = document.getElementById("file");
  var drop = document.getElementById("drop");
  var name = document.getElementById("file-name");
  var typed = document.getElementById("query");
  if (!form || !input || !drop) { return; }

  function chosen() {
    var file = input.files && input.files[0];
    if (!file) { return; }
    if (name) { name.textContent = file.name; }
    if (typed) { typed.value = ""; }
    drop.classList.add("has-file");
  }

  input.addEventListener("change", chosen);
  ["dragenter", "dragover"].forEach(function (kind) {
    document.addEventListener(kind, function (e) {
      e.preventDefault();
      drop.classList.add("dragging");
    });
  });
  ["dragleave", "dragend"].forEach(function (kind) {
    document.addEventListener(kind, function (e) {
      if (e.target === document.documentElement || e.target === drop) {
        drop.classList.remove("dragging");
      }
    });
  });
  document.addEventListener("drop", function (e) {
    e.preventDefault();
    drop.classList.remove("dragging");
    var files = e.dataTransfer && e.dataTransfer.files;
    if (!files || !files.length) { return; }
    try {
      input.files = files;
    } catch (err) {
      return;
    }
    chosen();
    form.requestSubmit ? form.requestSubmit() : form.submit();
  });
})();
