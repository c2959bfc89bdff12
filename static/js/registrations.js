/* The registration details form, a little friendlier with JavaScript; it works without it.
   - shows the care scope the chosen province means (in-province or cross-province);
   - shows the agent's fields only when "filing for someone else" is ticked;
   - shows the designated-institution fields only when a special disease is chosen.
   Fields with an error are never hidden. */
(function () {
  "use strict";

  function fieldOf(id) {
    var input = document.getElementById(id);
    return input ? input.closest(".field") : null;
  }

  function toggle(ids, show) {
    ids.forEach(function (id) {
      var field = fieldOf(id);
      if (field) field.hidden = !show && !field.classList.contains("has-error");
    });
  }

  var province = document.getElementById("id_care_province");
  if (province && province.dataset.homeProvince) {
    var output = document.createElement("p");
    output.className = "scope-live";
    output.setAttribute("aria-live", "polite");
    province.insertAdjacentElement("afterend", output);
    var showScope = function () {
      if (!province.value) {
        output.textContent = "";
      } else if (province.value === province.dataset.homeProvince) {
        output.textContent = province.dataset.inProvinceLabel;
      } else {
        output.textContent = province.dataset.crossProvinceLabel;
      }
    };
    province.addEventListener("change", showScope);
    showScope();
  }

  var onBehalf = document.getElementById("id_on_behalf");
  if (onBehalf) {
    var agentFields = ["id_agent_name", "id_agent_national_id", "id_agent_relationship"];
    var showAgent = function () { toggle(agentFields, onBehalf.checked); };
    onBehalf.addEventListener("change", showAgent);
    showAgent();
  }

  var disease = document.getElementById("id_special_disease");
  if (disease) {
    var institutionFields = [
      "id_designated_institution", "id_designated_institution_level", "id_designated_institution_dialysis"
    ];
    var showInstitution = function () { toggle(institutionFields, Boolean(disease.value)); };
    disease.addEventListener("change", showInstitution);
    showInstitution();
  }
})();
