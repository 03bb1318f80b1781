// Small behaviours shared by every page. No inline script anywhere: the Content-Security-Policy forbids it.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});

// On a phone the menu is one row that scrolls sideways: show the current area, not always the first links.
document.addEventListener("DOMContentLoaded", function () {
  var current = document.querySelector(".main-nav [aria-current]");
  var row = current && current.closest("ul");
  if (row && row.scrollWidth > row.clientWidth) {
    var offset = current.getBoundingClientRect().left - row.getBoundingClientRect().left;
    row.scrollLeft += offset - (row.clientWidth - current.offsetWidth) / 2;
  }
});
