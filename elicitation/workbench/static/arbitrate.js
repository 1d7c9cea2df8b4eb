// The arbitration page: each row's form goes to POST /api/s/N/arbitrate; the answer names the decision.
"use strict";
(() => {
  const config = JSON.parse(document.getElementById("config").textContent);
  const message = (text, ok) => { const m = document.getElementById("message"); m.textContent = text; m.className = ok ? "ok" : "bad"; };
  async function decide(row, reject) {
    const body = { c1: config.c1, c2: config.c2, key: row.dataset.key, reject };
    for (const input of row.querySelectorAll("input, select")) body[input.name] = input.type === "checkbox" ? input.checked : input.value;
    const response = await fetch(`/api/s/${config.session}/arbitrate`, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const answer = await response.json().catch(() => ({ error: `${response.status}` }));
    if (!response.ok) { message(`refused: ${answer.error}`); return; }
    row.querySelector(".state").textContent = answer.decided;
    message(`${row.dataset.key}: ${answer.decided}`, true);
  }
  for (const row of document.querySelectorAll("tr.proposal")) {
    row.querySelector("button.accept").onclick = () => decide(row, false);
    const reject = row.querySelector("button.reject");
    if (reject) reject.onclick = () => decide(row, true);
  }
})();
