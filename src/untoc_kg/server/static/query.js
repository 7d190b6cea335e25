// The query page: send the textarea to /sparql, show the rows. A file of its own (no inline
// script) so the page runs under a Content-Security-Policy of script-src 'self'. Every value is
// inserted as text (textContent), never as markup.
"use strict";

function cell(binding) {
  const td = document.createElement("td");
  if (!binding) return td;
  if (binding.type === "uri") {
    const a = document.createElement("a");
    a.href = binding.value;
    a.textContent = binding.value;
    td.appendChild(a);
  } else {
    td.textContent = binding.value;
  }
  return td;
}

function show(answer) {
  const head = document.querySelector("#results thead");
  const body = document.querySelector("#results tbody");
  head.replaceChildren();
  body.replaceChildren();
  if ("boolean" in answer) {
    document.getElementById("status").textContent = "Answer: " + answer.boolean;
    return;
  }
  const vars = answer.head.vars;
  const tr = document.createElement("tr");
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = v;
    tr.appendChild(th);
  }
  head.appendChild(tr);
  for (const row of answer.results.bindings) {
    const line = document.createElement("tr");
    for (const v of vars) line.appendChild(cell(row[v]));
    body.appendChild(line);
  }
  document.getElementById("status").textContent = answer.results.bindings.length + " rows";
}

async function run(event) {
  event.preventDefault();
  const status = document.getElementById("status");
  status.textContent = "Running…";
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json" },
    body: document.getElementById("query").value,
  });
  if (!response.ok) {
    status.textContent = "Error " + response.status + ": " + (await response.text());
    return;
  }
  show(await response.json());
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("query-form").addEventListener("submit", run);
  document.getElementById("example").addEventListener("change", (event) => {
    const option = event.target.selectedOptions[0];
    if (option && option.dataset.query) document.getElementById("query").value = option.dataset.query;
  });
});
