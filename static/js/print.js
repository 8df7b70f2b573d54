// The print button of the official documents. The button stays hidden without JavaScript,
// where the browser's own print command still works.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
