// Selecting a county on the activation page's map ticks it in the list below, and back.
// The list is the form: without this script every county can still be chosen there.
(function () {
  "use strict";
  var map = document.querySelector('svg[data-picker="on"]');
  if (!map) { return; }
  function paint(path, on) {
    path.classList.toggle("covered", on);
    path.classList.toggle("other", !on);
    path.setAttribute("fill", on ? "url(#picker-map-hatch)" : "#ececec");
  }
  map.addEventListener("click", function (event) {
    var path = event.target.closest("path[data-fips]");
    if (!path) { return; }
    var box = document.getElementById("county-" + path.getAttribute("data-fips"));
    if (!box) { return; }
    box.checked = !box.checked;
    paint(path, box.checked);
  });
  document.querySelectorAll('input[name="county"]').forEach(function (box) {
    box.addEventListener("change", function () {
      var path = map.querySelector('path[data-fips="' + box.value + '"]');
      if (path) { paint(path, box.checked); }
    });
  });
}());
