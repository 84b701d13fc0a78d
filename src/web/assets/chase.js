// The "copy the list" button of the reminder list: the rows as shown, one per line with
// tab-separated cells, so they paste into a mail or a spreadsheet.
(function () {
  "use strict";
  var button = document.getElementById("copy-list");
  var table = document.getElementById("chase-list");
  var status = document.getElementById("copy-status");
  if (!button || !table || !status) return;
  button.addEventListener("click", function () {
    var lines = [];
    table.querySelectorAll("tr").forEach(function (tr) {
      var cells = [];
      tr.querySelectorAll("th, td").forEach(function (cell) {
        cells.push(cell.textContent.trim());
      });
      lines.push(cells.join("\t"));
    });
    var text = lines.join("\n");
    var done = function () {
      status.textContent = button.getAttribute("data-copied");
      status.hidden = false;
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () {
        status.textContent = text;
        status.hidden = false;
      });
    } else {
      status.textContent = text;
      status.hidden = false;
    }
  });
})();
