// Live values and shares beside the four-C sliders. Without JavaScript the sliders still
// submit, and the page shows the saved values.
(function () {
  "use strict";
  function update(fieldset) {
    const inputs = Array.from(fieldset.querySelectorAll('input[type="range"]'));
    const total = inputs.reduce((sum, input) => sum + Number(input.value), 0);
    inputs.forEach((input) => {
      const field = input.closest(".field");
      field.querySelector("[data-weight-output]").value = input.value;
      const share = total > 0 ? Math.round((100 * Number(input.value)) / total) : 0;
      field.querySelector("[data-weight-share]").textContent = "(" + share + " %)";
    });
  }
  function init() {
    document.querySelectorAll("[data-weights]").forEach((fieldset) => {
      fieldset.addEventListener("input", () => update(fieldset));
      update(fieldset);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
