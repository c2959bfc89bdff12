/* The claim page, a little friendlier with JavaScript; it works without it.
   As soon as an invoice date is entered, the deadline for claiming it is shown under the
   field (asked from the portal, which applies the insured region's rules of that date). */
(function () {
  "use strict";

  document.querySelectorAll("input[data-deadline-url]").forEach(function (input) {
    var output = document.createElement("p");
    output.className = "deadline-live";
    output.id = input.id + "_deadline";
    output.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", output);
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + output.id).trim());

    var show = function () {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.value)) {
        output.textContent = "";
        return;
      }
      fetch(input.dataset.deadlineUrl + "?date=" + encodeURIComponent(input.value), {
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      })
        .then(function (response) { return response.ok ? response.json() : { text: "" }; })
        .then(function (data) {
          output.textContent = data.text || "";
          output.classList.toggle("field-error", Boolean(data.closed));
        })
        .catch(function () { output.textContent = ""; });
    };
    input.addEventListener("change", show);
    input.addEventListener("input", show);
    show();
  });
})();
