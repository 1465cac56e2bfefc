// Site-wide behaviour, kept out of the pages so that the Content-Security-Policy allows no
// inline script. Everything here improves a page that already works without it.

// A button marked data-print prints the page; it shows only where a script runs (the
// browser's own Print menu does the same everywhere).
function setUpPrintButtons() {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
}

// Disclosure buttons (the header's Menu on a narrow screen, its Account menu on a wide
// one): <button data-disclosure aria-controls="ID" aria-expanded="false" hidden>. Without
// a script the button stays hidden and what it controls stays shown (site.css folds it
// only beside a visible button). Escape, or a click elsewhere, closes it.
function setUpDisclosures() {
  const buttons = [...document.querySelectorAll("button[data-disclosure]")];
  const panelOf = (button) => document.getElementById(button.getAttribute("aria-controls"));
  const isOpen = (button) => button.getAttribute("aria-expanded") === "true";
  const setOpen = (button, open) => button.setAttribute("aria-expanded", open ? "true" : "false");

  for (const button of buttons) {
    if (!panelOf(button)) continue;
    button.hidden = false;
    button.addEventListener("click", () => setOpen(button, !isOpen(button)));
  }
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const button of buttons) {
      const panel = panelOf(button);
      if (!isOpen(button) || !panel) continue;
      const inside = button.contains(document.activeElement) || panel.contains(document.activeElement);
      setOpen(button, false);
      if (inside) button.focus();
    }
  });
  document.addEventListener("click", (event) => {
    for (const button of buttons) {
      const panel = panelOf(button);
      if (!isOpen(button) || !panel) continue;
      if (!button.contains(event.target) && !panel.contains(event.target)) setOpen(button, false);
    }
  });
}

// A <details open data-fold-below="48rem"> (the mentor search's filters) starts folded on a
// screen narrower than that, so that what follows it shows on the first screen.
function foldOnNarrowScreens() {
  for (const details of document.querySelectorAll("details[data-fold-below]")) {
    if (window.matchMedia(`(max-width: ${details.dataset.foldBelow})`).matches) details.open = false;
  }
}

// Busy forms: once a form is sent, its submit buttons wait (disabled, aria-busy on the
// form, the button's text becomes its data-busy-label, or a spinner shows) so that a
// double click sends it once. They work again when htmx's request ends, or when the
// browser shows the page again from its history (the Back button).
// A GET form that is not htmx (a search, a download) is left alone, and so is any form
// marked data-no-busy or sent to another window.
const BUSY = "is-busy";

function isHtmx(form) {
  return form.matches("[hx-get], [hx-post], [hx-put], [hx-patch], [hx-delete]");
}

function waits(form) {
  if (form.hasAttribute("data-no-busy") || (form.target && form.target !== "_self")) return false;
  return form.method === "post" || isHtmx(form);
}

function submitButtons(form) {
  return [...form.elements].filter(
    (element) => element.matches("button, input[type=submit], input[type=image]") && element.type !== "button" && element.type !== "reset",
  );
}

function markBusy(form, submitter) {
  form.setAttribute("aria-busy", "true");
  form.classList.add(BUSY);
  for (const button of submitButtons(form)) {
    if (button.disabled) continue;
    button.dataset.busyDisabled = "";
    // Disabled after this event, so that the pressed button's name and value still go.
    setTimeout(() => { button.disabled = true; }, 0);
  }
  const shown = submitter && submitter.form === form ? submitter : submitButtons(form)[0];
  if (!shown) return;
  shown.classList.add(BUSY);
  const label = shown.dataset.busyLabel;
  if (label && shown.tagName === "BUTTON") {
    shown.dataset.idleLabel = shown.innerHTML;
    shown.textContent = label;
  } else if (label) {
    shown.dataset.idleLabel = shown.value;
    shown.value = label;
  }
}

function markIdle(form) {
  form.removeAttribute("aria-busy");
  form.classList.remove(BUSY);
  for (const button of submitButtons(form)) {
    if ("busyDisabled" in button.dataset) {
      button.disabled = false;
      delete button.dataset.busyDisabled;
    }
    button.classList.remove(BUSY);
    if ("idleLabel" in button.dataset) {
      if (button.tagName === "BUTTON") button.innerHTML = button.dataset.idleLabel;
      else button.value = button.dataset.idleLabel;
      delete button.dataset.idleLabel;
    }
  }
}

function setUpBusyForms() {
  // First (capture): a form already on its way is not sent again, by htmx either.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // Last (bubble): a form that another script stopped is not busy, unless htmx sends it.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !waits(form)) return;
    if (event.defaultPrevented && !isHtmx(form)) return;
    markBusy(form, event.submitter);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.target.closest ? event.target.closest("form") : null;
    if (form) markIdle(form);
  });
  window.addEventListener("pageshow", () => {
    for (const form of document.querySelectorAll("form[aria-busy=true]")) markIdle(form);
  });
}

setUpBusyForms();
foldOnNarrowScreens();  // a deferred script runs once the page is parsed, before it is shown
document.addEventListener("DOMContentLoaded", () => {
  setUpPrintButtons();
  setUpDisclosures();
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
