// Site-wide behaviour, kept out of the pages so that the Content-Security-Policy allows no
// inline script. A button marked data-print prints the page; it shows only where a script
// runs (the browser's own Print menu does the same everywhere).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
