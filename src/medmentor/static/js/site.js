// Site-wide behaviour, kept out of the pages so that the Content-Security-Policy allows no
// inline script. A button marked data-print prints the page; it shows only where a script
// runs (the browser's own Print menu does the same everywhere).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});

// A table wider than a phone scrolls sideways inside itself (site.css); to scroll it from
// the keyboard it must take the focus, so such a table joins the tab order, only while it
// overflows (WCAG 2.1.1; axe-core's scrollable-region-focusable).
function focusScrollingTables(root) {
  for (const table of root.querySelectorAll("table")) {
    if (table.scrollWidth > table.clientWidth + 1) {
      table.tabIndex = 0;
    } else if (table.getAttribute("tabindex") === "0") {
      table.removeAttribute("tabindex");
    }
  }
}
document.addEventListener("DOMContentLoaded", () => focusScrollingTables(document));
document.addEventListener("htmx:afterSettle", () => focusScrollingTables(document));
window.addEventListener("resize", () => focusScrollingTables(document));
