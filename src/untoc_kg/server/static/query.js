// The query page: a SPARQL editor with predeclared prefixes, permalinks, labelled results that
// link to this site's pages, downloads, and the named queries as forms. A file of its own (no
// inline script) so the page runs under a Content-Security-Policy of script-src 'self'. Every
// value is inserted as text (textContent), never as markup.
"use strict";

const settings = JSON.parse(document.getElementById("query-settings").textContent);
const GET_LIMIT = 4000; // longer queries are POSTed (URLs of browsers and proxies have limits)
const LABELS_AT_ONCE = 400;

const $ = (id) => document.getElementById(id);

// -- prefixes ----------------------------------------------------------------------------------

function visible(query) {
  // strings, IRIs and comments blanked: what is left has no colon that is not a prefixed name
  return query.replace(
    /"""(?:[^"\\]|\\.|"(?!""))*"""|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n\r]*/g,
    (m) => " ".repeat(m.length),
  );
}

function withPrologue(query) {
  // YASGUI's habit: add the PREFIX line of every known prefix the query uses without declaring
  const text = visible(query);
  const declared = new Set([...text.matchAll(/\bPREFIX\s+([A-Za-z][\w.-]*)?:/gi)].map((m) => m[1] || ""));
  const used = new Set([...text.matchAll(/(?<![\w.:?$-])([A-Za-z][\w.-]*)?:(?=[\w%\\:]|\s|$)/g)].map((m) => m[1] || ""));
  const lines = Object.keys(settings.prefixes)
    .filter((name) => used.has(name) && !declared.has(name))
    .sort()
    .map((name) => `PREFIX ${name}: <${settings.prefixes[name]}>`);
  return lines.length ? lines.join("\n") + "\n" + query : query;
}

function compact(iri) {
  for (const [name, ns] of Object.entries(settings.prefixes)) {
    if (iri.startsWith(ns) && iri.length > ns.length) return `${name}:${iri.slice(ns.length)}`;
  }
  return iri;
}

function localHref(iri) {
  // an IRI this site serves -> its local path, whatever base URI the build was made with
  for (const [base, path] of settings.local) {
    if (iri.startsWith(base)) return path + iri.slice(base.length);
  }
  return iri;
}

// -- highlighting: the text drawn again under the transparent textarea, token by token --------

const KEYWORDS = new Set(("SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED " +
  "OPTIONAL UNION MINUS FILTER BIND VALUES GRAPH SERVICE SILENT GROUP BY HAVING ORDER ASC DESC LIMIT " +
  "OFFSET AS NOT EXISTS IN A UNDEF COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG " +
  "LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE " +
  "ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS " +
  "TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM " +
  "ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE TRUE FALSE").split(" "));
const TOKEN = /(#[^\n]*)|("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$]\w+)|((?:[A-Za-z][\w.-]*)?:[\w.%-]*)|(\b[A-Za-z_]+\b)|(\b\d+(?:\.\d+)?\b)/g;
const CLASSES = [null, "com", "str", "iri", "var", "pname", "kw", "num"];
const HIGHLIGHT_UP_TO = 50000; // characters: past that the text is shown plain

function highlight() {
  const text = $("query").value;
  const parts = [];
  let at = 0;
  if (text.length <= HIGHLIGHT_UP_TO) {
    for (const match of text.matchAll(TOKEN)) {
      const kind = CLASSES.findIndex((_, i) => i > 0 && match[i] !== undefined);
      if (kind === 6 && !KEYWORDS.has(match[0].toUpperCase())) continue;
      if (match.index > at) parts.push(document.createTextNode(text.slice(at, match.index)));
      const span = document.createElement("span");
      span.className = CLASSES[kind];
      span.textContent = match[0];
      parts.push(span);
      at = match.index + match[0].length;
    }
  }
  parts.push(document.createTextNode(text.slice(at) + "\n")); // a last empty line still shows
  $("highlight").replaceChildren(...parts);
  followScroll();
}

function followScroll() {
  $("highlight").scrollTop = $("query").scrollTop;
  $("highlight").scrollLeft = $("query").scrollLeft;
}

// -- showing answers ---------------------------------------------------------------------------

function setStatus(text, isError) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", Boolean(isError));
}

function clearResults() {
  document.querySelector("#results thead").replaceChildren();
  document.querySelector("#results tbody").replaceChildren();
  $("graph-result").hidden = true;
  $("graph-result").textContent = "";
}

function cell(binding) {
  const td = document.createElement("td");
  if (!binding) return td;
  if (binding.type === "uri") {
    const a = document.createElement("a");
    a.href = localHref(binding.value);
    a.textContent = compact(binding.value);
    a.title = binding.value;
    a.dataset.iri = binding.value;
    td.appendChild(a);
  } else if (binding.type === "literal" || binding.type === "typed-literal") {
    td.textContent = binding.value;
    if (binding["xml:lang"]) td.title = "@" + binding["xml:lang"];
    else if (binding.datatype) td.title = compact(binding.datatype);
  } else {
    td.textContent = binding.type === "bnode" ? "_:" + binding.value : JSON.stringify(binding.value);
  }
  return td;
}

function show(answer) {
  clearResults();
  if ("boolean" in answer) {
    setStatus("Answer: " + answer.boolean);
    return;
  }
  const vars = answer.head.vars;
  const tr = document.createElement("tr");
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = v;
    tr.appendChild(th);
  }
  document.querySelector("#results thead").appendChild(tr);
  const body = document.querySelector("#results tbody");
  for (const row of answer.results.bindings) {
    const line = document.createElement("tr");
    for (const v of vars) line.appendChild(cell(row[v]));
    body.appendChild(line);
  }
  const n = answer.results.bindings.length;
  setStatus(n === 1 ? "1 row" : n + " rows");
  addLabels();
}

async function addLabels() {
  // one query for the names of the IRIs shown; the link keeps its IRI as its title
  const links = [...document.querySelectorAll("#results a[data-iri]")];
  const iris = [...new Set(links.map((a) => a.dataset.iri))].slice(0, LABELS_AT_ONCE);
  if (!iris.length) return;
  const properties = settings.labelProperties.map((p) => `<${p}>`).join("|");
  const query =
    `SELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { ${iris.map((i) => `<${i}>`).join(" ")} } ` +
    `?s ${properties} ?l } GROUP BY ?s`;
  let answer;
  try {
    const response = await sparql(query, "application/sparql-results+json");
    if (!response.ok) return;
    answer = await response.json();
  } catch (error) {
    return; // labels are a nicety; the IRIs stay
  }
  const labels = new Map(answer.results.bindings.map((b) => [b.s.value, b.label.value]));
  for (const a of links) {
    const label = labels.get(a.dataset.iri);
    if (!label) continue;
    a.textContent = label;
    a.classList.add("labelled");
    const iri = document.createElement("span");
    iri.className = "iri";
    iri.textContent = compact(a.dataset.iri);
    a.after(iri);
  }
}

function sparql(query, accept) {
  const headers = { Accept: accept };
  if (query.length > GET_LIMIT) {
    return fetch("/sparql", {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/sparql-query" },
      body: query,
    });
  }
  return fetch("/sparql?query=" + encodeURIComponent(query), { headers });
}

async function display(response) {
  if (!response.ok) {
    clearResults();
    setStatus("Error " + response.status + ": " + (await response.text()).trim(), true);
    return;
  }
  const type = response.headers.get("content-type") || "";
  if (type.includes("json") && !type.includes("ld+json")) {
    show(await response.json());
    return;
  }
  clearResults();
  const text = await response.text();
  $("graph-result").textContent = text;
  $("graph-result").hidden = false;
  const triples = text.split("\n").filter((l) => l.trim() && !l.startsWith("@prefix")).length;
  setStatus("Graph: " + triples + " lines of Turtle");
}

// -- links that say what ran -------------------------------------------------------------------

function setLinks(pagePath, downloadPath) {
  history.replaceState(null, "", pagePath);
  $("permalink").href = pagePath;
  $("download").href = downloadPath;
  const ext = new URLSearchParams(downloadPath.split("?")[1] || "").get("format") || downloadPath.split("?")[0].split(".").pop();
  $("download").setAttribute("download", "result." + ext);
}

function chosenFormat() {
  return $("format").value;
}

// -- running -----------------------------------------------------------------------------------

async function runEditor(event) {
  if (event) event.preventDefault();
  const editor = $("query");
  const query = withPrologue(editor.value);
  if (query !== editor.value) {
    editor.value = query;
    highlight();
  }
  setLinks(
    "/query?query=" + encodeURIComponent(query),
    "/sparql?query=" + encodeURIComponent(query) + "&format=" + chosenFormat(),
  );
  setStatus("Running…");
  try {
    await display(await sparql(query, "application/sparql-results+json, text/turtle;q=0.9"));
  } catch (error) {
    clearResults();
    setStatus("Error: the server could not be reached (" + error + ")", true);
  }
}

function formParameters(form) {
  const params = new URLSearchParams();
  for (const input of form.querySelectorAll("input[name]")) {
    if (input.value !== "") params.set(input.name, input.value);
  }
  return params;
}

async function runNamed(form, event) {
  if (event) event.preventDefault();
  const name = form.dataset.name;
  const params = formParameters(form);
  const ext = chosenFormat() === "csv" ? "csv" : "json";
  const query = params.toString();
  setLinks(
    "/query?" + new URLSearchParams([["name", name], ...params]).toString(),
    `/queries/${name}.${ext}` + (query ? "?" + query : ""),
  );
  for (const a of form.querySelectorAll("a.api")) {
    a.href = a.href.split("?")[0] + (query ? "?" + query : "");
  }
  setStatus("Running…");
  try {
    const [answer, text] = await Promise.all([
      fetch(`/queries/${name}.json` + (query ? "?" + query : "")),
      fetch(`/queries/${name}.rq` + (query ? "?" + query : "")),
    ]);
    if (text.ok) {
      $("query").value = await text.text();
      highlight();
    }
    await display(answer);
  } catch (error) {
    clearResults();
    setStatus("Error: the server could not be reached (" + error + ")", true);
  }
}

function showForm(name) {
  for (const form of document.querySelectorAll(".named-form")) form.hidden = form.dataset.name !== name;
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelector(".editor-wrap").classList.add("highlighting");
  highlight();
  $("query").addEventListener("input", highlight);
  $("query").addEventListener("scroll", followScroll);
  $("query-form").addEventListener("submit", runEditor);
  for (const form of document.querySelectorAll(".named-form")) {
    form.addEventListener("submit", (event) => runNamed(form, event));
  }
  $("example").addEventListener("change", (event) => {
    const option = event.target.selectedOptions[0];
    showForm(option ? option.value : "");
    if (option && option.dataset.query) $("query").value = option.dataset.query;
    highlight();
  });
  // a text that is no longer the named query must not look like it
  $("query").addEventListener("input", () => {
    $("example").value = "";
    showForm("");
  });
  $("format").addEventListener("change", () => {
    const link = new URL($("download").href);
    if (link.pathname === "/sparql") link.searchParams.set("format", chosenFormat());
    else link.pathname = link.pathname.replace(/\.(json|csv)$/, chosenFormat() === "csv" ? ".csv" : ".json");
    $("download").href = link.pathname + link.search;
  });
  const asked = new URLSearchParams(location.search);
  const named = asked.get("name") && document.getElementById("form-" + asked.get("name"));
  if (named) runNamed(named);
  else if (asked.get("query")) runEditor();
});
