// Proposes the next free number when the secretary adds an item or changes its section.
"use strict";
(function () {
  function rows() {
    return Array.from(document.querySelectorAll(".inline-related[id^='resolutions-']"))
      .filter((row) => !row.id.endsWith("-empty"));
  }
  function field(row, name) {
    return row.querySelector(`[name$='-${name}']`);
  }
  function propose(row) {
    const section = field(row, "section");
    const number = field(row, "number");
    if (!section || !number || number.value) return;
    let max = 0;
    for (const other of rows()) {
      if (other === row) continue;
      const s = field(other, "section");
      const n = field(other, "number");
      if (s && n && s.value === section.value && Number(n.value) > max) max = Number(n.value);
    }
    number.value = String(max + 1);
  }
  document.addEventListener("formset:added", (event) => {
    if (event.detail && event.detail.formsetName === "resolutions") propose(event.target);
  });
  document.addEventListener("change", (event) => {
    if (event.target.matches("[name^='resolutions-'][name$='-section']")) {
      const row = event.target.closest(".inline-related");
      const number = field(row, "number");
      if (number && !row.querySelector("input[name$='-id']")?.value) {
        number.value = "";
        propose(row);
      }
    }
  });
})();
