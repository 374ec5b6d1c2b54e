// Numbers the agenda row that «Добавить ещё» adds: one after the highest number on the page.
"use strict";
(function () {
  function orders() {
    return Array.from(document.querySelectorAll("#agenda_items-group input[name$='-order']"))
      .filter((input) => !input.name.includes("__prefix__"));
  }
  document.addEventListener("formset:added", (event) => {
    if (!event.detail || event.detail.formsetName !== "agenda_items") return;
    const number = event.target.querySelector("input[name$='-order']");
    if (!number || number.value) return;
    let max = 0;
    for (const other of orders()) {
      if (other !== number && Number(other.value) > max) max = Number(other.value);
    }
    number.value = String(max + 1);
  });
})();
