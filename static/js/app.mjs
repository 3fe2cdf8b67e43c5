// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// Long lists (organisations, nationalities, towns) become a type-ahead; without JavaScript they stay a select.
for (const select of document.querySelectorAll("select[data-module='app-autocomplete']")) {
  window.accessibleAutocomplete?.enhanceSelectElement({
    selectElement: select,
    defaultValue: "",
    showAllValues: true,
    dropdownArrow: () => "",
  });
}
