// Small behaviours shared by every page. No inline script anywhere: the Content-Security-Policy forbids it.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
