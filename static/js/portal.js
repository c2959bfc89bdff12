// A page that comes back with errors starts at their summary, so that keyboard and
// screen-reader users hear what to fix first; each line of it links to its field.
// Without JavaScript the summary is still announced (role="alert") and linked.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
