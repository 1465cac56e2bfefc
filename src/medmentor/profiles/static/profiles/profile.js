// The profile's steps, kept out of the pages so that the Content-Security-Policy allows no
// inline script. Everything here only improves a form that works without it. htmx swaps a
// step's form in place (a form with errors comes back), so each part runs on every piece
// of page htmx loads, as well as on the first page.
(() => {
  // A role's questions show while its checkbox is ticked (the server leaves them hidden
  // for people without the role, and ignores them when the box is not ticked).
  function roles(root) {
    for (const role of ["is_mentee", "is_mentor"]) {
      const box = root.querySelector(`input[type=checkbox][name=${role}]`);
      if (!box) continue;
      const show = () => {
        for (const field of document.querySelectorAll(`[data-role=${role}]`)) {
          field.hidden = !box.checked;
        }
      };
      box.addEventListener("change", show);
      show();
    }
  }

  // A time zone not chosen yet starts as the browser's, when it is one the list offers;
  // one the person chose is never changed.
  function timeZone(root) {
    const select = root.querySelector("select[name=time_zone]");
    if (!select || select.value) return;
    let zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch {
      return;
    }
    if ([...select.options].some((option) => option.value === zone)) select.value = zone;
  }

  // Long lists of choices (other specialties) become a searchable, keyboard-friendly
  // multi-select (Tom Select, vendored); without it they stay the browser's own.
  function searchable(root) {
    if (typeof window.TomSelect !== "function") return;
    for (const select of root.querySelectorAll("select[multiple][data-searchable]")) {
      if (select.tomselect) continue;
      new window.TomSelect(select, {
        plugins: ["remove_button"],
        maxOptions: null,
        hidePlaceholder: true,
        placeholder: select.dataset.placeholder || "",
      });
      // Tom Select moves the field's label to its own input and keeps the original select
      // only to submit: screen readers meet the one control, by the label's name.
      select.setAttribute("aria-hidden", "true");
    }
  }

  function enhance(root) {
    roles(root);
    timeZone(root);
    searchable(root);
  }

  // htmx fires htmx:load on the first page too; without htmx, the first page alone.
  if (window.htmx) {
    document.addEventListener("htmx:load", (event) => enhance(event.target));
  } else {
    document.addEventListener("DOMContentLoaded", () => enhance(document));
  }
})();
