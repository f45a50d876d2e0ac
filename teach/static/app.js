// The classroom page (docs/teaching.md). Plain JS and canvas, no build step. Runs arrive as the
// lines of `clustersim run --live-json` (sim/live.h), over Server-Sent Events from teach/server.py.
"use strict";

const $ = (id) => document.getElementById(id);
const CELL = 4; // screen pixels per grid cell
// energy brown, not green: a sector's colour should not read as the difference map's colours
const SECTOR_COLOURS = ["#1f77b4", "#d62788", "#ff7f0e", "#bcbd22", "#9467bd", "#8c564b",
                        "#8c8c8c", "#17becf"];
// difference map of the cluster layer: a cluster only in B, only in A, of the same sector in
// both, of different sectors in A and B, in neither. Okabe and Ito's colour-blind-safe colours,
// blue and orange for B and A (they were green and red, one colour to a red-green colour-blind
// pupil), yellow and pink far from both in lightness or hue
const CLUSTER_DIFF = { onlyB: [0, 114, 178], onlyA: [213, 94, 0], both: [240, 228, 66],
                       differ: [204, 121, 167], none: [236, 236, 230] };
const NO_SERVER = "cannot reach the classroom server: is `make teach` still running?";
const RUNS_POLL_MS = 3000; // how often the list looks for other pages' runs
const HOVER_HINT = $("hover").textContent; // what the hover line says with no cell read
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

const state = {
  presets: [], preset: null, runs: new Map(), order: [],
  mode: "single", a: null, b: null, // shown run(s)
  layer: "employment", sector: 0, idx: 0, follow: true, playing: null,
  pointAt: null, // the map point under the pointer (readCell)
  egHidden: new Set(), // sectors whose EG line is hidden (a click on the chart's legend)
  clusterSector: "all", region: null, seed: 1, starting: false,
  session: null, // the server's session (a restarted server has another)
};

// What stops a run, for the runs this page started: the server gives it only to the page that
// started the run. Kept in the tab's sessionStorage, so that Stop survives a reload.
const STOP_KEY = "clustersim-stop-tokens";
function stopTokens() {
  try { return JSON.parse(sessionStorage.getItem(STOP_KEY)) || {}; } catch (e) { return {}; }
}
function keepStopToken(id, token) {
  const t = stopTokens();
  t[id] = token;
  try { sessionStorage.setItem(STOP_KEY, JSON.stringify(t)); } catch (e) { /* Stop lasts
    until a reload */ }
  state.stopTokens = t;
}
state.stopTokens = stopTokens();

// ---- runs ----

function newRun(info) {
  // the list's poll may have added it first (a run this page started, seen by the poll
  // before the start's answer came back)
  if (state.runs.has(info.id)) return state.runs.get(info.id);
  const run = { info, start: null, frames: [], series: [], done: false, landIdx: null,
                following: false };
  state.runs.set(info.id, run);
  state.order.push(info.id);
  return run;
}

function onLine(run, msg) {
  if (msg.type === "start") {
    run.start = msg;
    run.landIdx = [];
    msg.land.forEach((v, c) => { if (v) run.landIdx.push(c); });
    if ($("sector").options.length === 0) {
      msg.sectors.forEach((s, i) => $("sector").add(new Option(s, i)));
      $("sector").value = "0";
      $("cluster-sector").add(new Option("all tradable sectors", "all"));
      const tradable = msg.tradable || msg.sectors.map(() => true);
      msg.sectors.forEach((s, i) => { if (tradable[i]) $("cluster-sector").add(new Option(s, i)); });
      $("cluster-sector").value = "all";
    }
  } else if (msg.type === "regions") {
    run.regions = msg;
    run.regionIdx = null;
    fillRegions(run);
    if (run.pickRegion) {
      // a file just opened whose policies act on regions shows the first of them on the
      // regional chart, as choosing such a preset does
      run.pickRegion = false;
      const a = runAreas(run).find((x) => x.kind === "regions");
      if (a && msg.names.includes(a.regions[0])) {
        state.region = a.regions[0];
        $("region").value = state.region;
      }
    }
  } else if (msg.type === "series" || msg.type === "frame") {
    // public spending so far (a stream of an older build has none: 0)
    const last = run.series.length ? run.series[run.series.length - 1].spent : 0;
    msg.spent = last + (Number.isFinite(msg.spending) ? msg.spending : 0);
    run.series.push(msg);
    if (msg.type === "frame") run.frames.push(msg);
  } else if (msg.type === "end") {
    run.done = true;
  } else if (msg.type === "warning") {
    // the engine's warning (a count the scale rounds, say): kept in the run's info, as the
    // server's list gives it, and shown under the run's entry
    const ws = run.info.warnings || [];
    if (!ws.includes(msg.text)) {
      run.info = Object.assign({}, run.info, { warnings: ws.concat([msg.text]) });
      listRuns();
    }
  }
}

// A browser keeps about six connections to one server, and each run streamed holds one until
// it ends: a page that streamed every run looked at (a teacher going round a class's running
// runs) would be left none for its own requests. So at most MAX_STREAMS runs stream at once;
// following another closes the stream of one not shown, which starts again from the beginning
// (the server replays a run's stream) when it is shown again.
const MAX_STREAMS = 3;
let followSeq = 0;

function unfollow(run) {
  run.es.close();
  run.es = null;
  run.following = false;
  Object.assign(run, { start: null, frames: [], series: [], landIdx: null, regions: undefined });
}

function follow(run) {
  if (run.following) return;
  const streaming = [...state.runs.values()].filter((r) => r.es);
  while (streaming.length >= MAX_STREAMS) {
    const idle = streaming.filter((r) => !isShown(r) && r !== run)
      .sort((x, y) => x.followedAt - y.followedAt)[0];
    if (!idle) break;
    unfollow(idle);
    streaming.splice(streaming.indexOf(idle), 1);
  }
  run.following = true;
  run.followedAt = ++followSeq;
  const es = new EventSource(`/api/runs/${run.info.id}/events`);
  run.es = es;
  let pending = false;
  es.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.type === "start" && run.info.status === "queued") {
      // the queued run has started: its list entry and Stop follow
      run.info = Object.assign({}, run.info, { status: "running" });
      delete run.info.ahead;
      listRuns();
    }
    onLine(run, msg);
    if (msg.type === "frame" && isShown(run) && state.follow) state.idx = latestIdx();
    if ((msg.type === "frame" || msg.type === "end") && !pending) {
      pending = true;
      requestAnimationFrame(() => { pending = false; redraw(); });
    }
  };
  es.addEventListener("status", (ev) => {
    run.info = JSON.parse(ev.data);
    run.done = true;
    es.close();
    run.es = null;
    if (run.info.status === "failed") setStatus(`${run.info.label}: ${run.info.error}`, true);
    // stopped by the server shutting down, not by a Stop: said with the server's reason (it
    // read "stopped", as if a pupil had pressed Stop)
    else if (run.info.stopped_by === "server") setStatus(`${run.info.label}: ${endedText(run)}`,
                                                         true);
    else if (isShown(run)) setStatus(`${run.info.label}: ${run.info.status === "stopped"
      ? endedText(run) : run.info.status}`);
    listRuns();
    redraw();
  });
  es.onerror = () => {
    run.es = null;
    if (run.done) { es.close(); return; }
    // the server stopped (or went away) while the run streamed: say so, once
    es.close();
    run.done = true;
    run.info = Object.assign({}, run.info, { status: "lost", error: NO_SERVER });
    setStatus(NO_SERVER, true);
    listRuns();
    redraw();
  };
}

// The frame of A to show while following: its latest, or when comparing, its latest at a step
// B has reached too (A at step 160 against B at step 96 would be no comparison).
function latestIdx() {
  const a = state.runs.get(state.a);
  let i = a.frames.length - 1;
  const b = state.mode === "compare" ? state.runs.get(state.b) : null;
  if (!b || !b.frames.length) return Math.max(0, i);
  const reached = b.frames[b.frames.length - 1].step;
  while (i > 0 && a.frames[i].step > reached) i--;
  return Math.max(0, i);
}

function isShown(run) {
  return state.a === run.info.id || (state.mode === "compare" && state.b === run.info.id);
}

// ---- presets and levers ----

async function loadPresets() {
  const r = await fetch("/api/presets");
  const data = await r.json();
  state.presets = data.presets;
  state.seedRange = data.seed;
  Object.assign($("seed"), { min: data.seed.min, max: data.seed.max });
  setSeed(state.seed);
  state.maxRuns = data.max_runs;
  state.keepMaps = data.keep_maps;
  const ul = $("presets");
  for (const p of state.presets) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.textContent = p.name;
    b.dataset.preset = p.name;
    b.onclick = () => choosePreset(p.name);
    li.appendChild(b);
    ul.appendChild(li);
  }
  choosePreset(state.presets[0].name);
}

function choosePreset(name) {
  const p = state.presets.find((q) => q.name === name);
  state.preset = p;
  // a preset acting on regions shows the first of them on the regional chart, another the
  // menu's first region (it kept the last preset's: the North East after a funding preset)
  const pr = presetRegion(p), opts = [...$("region").options];
  state.region = pr && opts.some((o) => o.value === pr) ? pr : opts.length ? opts[0].value : null;
  if (state.region) $("region").value = state.region;
  for (const b of document.querySelectorAll("#presets button"))
    b.classList.toggle("active", b.dataset.preset === name);
  // most presets run at the page's scale; a few, whose story needs more agents, at their own
  $("scale-note").textContent =
    `${p.name} runs at scale ${p.scale} (one agent = ${Math.round(1 / p.scale)} people); ` +
    `up to ${state.maxRuns} runs at once`;
  $("p-name").textContent = p.name;
  $("p-desc").textContent = p.description;
  $("p-question").textContent = p.question;
  $("p-look").innerHTML = "";
  for (const para of p.look_for.split(/\n\s*\n/)) {
    const e = document.createElement("p");
    e.textContent = para.replace(/\s+/g, " ");
    $("p-look").appendChild(e);
  }
  const box = $("levers");
  box.innerHTML = "";
  // the seed has its own box (#seed), kept when the preset changes
  for (const lv of p.levers) {
    const d = document.createElement("div");
    d.className = "lever";
    const id = "lever-" + lv.key.replace(/[^a-z0-9]/gi, "_");
    d.innerHTML = `<label for="${id}">${lv.label}: <span class="val"></span> ` +
                  `<span class="unit"></span></label><input type="range" id="${id}">`;
    const inp = d.querySelector("input");
    // the slider moves over the lever's stops (leverStops), so its own value is their index
    const stops = leverStops(lv);
    Object.assign(inp, { min: 0, max: stops.length - 1, step: 1,
                         value: stops.indexOf(lv.default) });
    inp.dataset.key = lv.key;
    inp.dataset.lever = JSON.stringify(lv);
    inp.dataset.stops = JSON.stringify(stops);
    d.querySelector(".unit").textContent = lv.unit;
    const show = () => {
      const text = leverShown(lv, stops[+inp.value]);
      d.querySelector(".val").textContent = text;
      // read out with its unit (a screen reader read the stop's index)
      inp.setAttribute("aria-valuetext", lv.unit ? `${text} ${lv.unit}` : text);
    };
    inp.oninput = show;
    show();
    box.appendChild(d);
  }
  if (state.a) redraw(); // the regional chart of the run shown follows the Region menu
}

// ---- the seed ----

function seedValue() {
  const { min, max } = state.seedRange, v = Number($("seed").value);
  return Number.isInteger(v) && v >= min && v <= max ? v : null;
}

function setSeed(v) {
  const { min, max } = state.seedRange;
  state.seed = Math.min(max, Math.max(min, Math.round(v)));
  $("seed").value = state.seed;
}

async function startRun() {
  if (state.starting) return; // a second click while the first is being started
  const seed = seedValue();
  if (seed === null) {
    setStatus(`the seed must be a whole number from ${state.seedRange.min} to ` +
              `${state.seedRange.max}`, true);
    return;
  }
  state.seed = seed;
  const body = { preset: state.preset.name, seed, levers: {} };
  for (const inp of document.querySelectorAll("#levers input")) {
    const lv = JSON.parse(inp.dataset.lever);
    let v = JSON.parse(inp.dataset.stops)[+inp.value];
    if (lv.integer) v = Math.round(v);
    body.levers[inp.dataset.key] = v;
  }
  // Run stays disabled while the request is in flight and for a second after, so that a
  // double click starts one run
  const keyboard = document.activeElement === $("run");
  state.starting = true;
  $("run").disabled = true;
  try {
    let r, data;
    try {
      r = await fetch("/api/run", { method: "POST", body: JSON.stringify(body),
                                    headers: { "Content-Type": "application/json" } });
    } catch (e) {
      setStatus(NO_SERVER, true);
      return;
    }
    try {
      data = await r.json();
    } catch (e) {
      data = { error: `the classroom server answered ${r.status} ${r.statusText}` };
    }
    if (!r.ok) { setStatus(data.error, true); return; }
    adoptSession(data.session); // a server restarted since the last look: its old runs go first
    setStatus(data.status === "queued"
      ? `queued: ${data.label} starts when a run going ends (${queuedText(data)})`
      : `running: ${data.label}`);
    keepStopToken(data.id, data.stop_token);
    delete data.stop_token;
    const run = newRun(data);
    showRun(run.info.id);
    follow(run);
  } finally {
    setTimeout(() => {
      state.starting = false;
      $("run").disabled = false;
      // a disabled button loses the focus: give it back to a keyboard user who pressed Run
      // (not to one who has clicked elsewhere meanwhile)
      if (keyboard && document.activeElement === document.body) $("run").focus();
    }, 1000);
  }
}

// "2 ahead of it" / "next to start", for a queued run's info (server.py: ahead)
function queuedText(info) {
  return info.ahead ? `${info.ahead} ahead of it` : "next to start";
}

function setStatus(text, isError) {
  $("status").textContent = text;
  $("status").classList.toggle("error", !!isError);
}

// Stop shows for the run shown alone while it runs, if this page started it
function stoppable() {
  const run = state.mode === "single" && state.runs.get(state.a);
  return run && !run.done && ["running", "queued"].includes(run.info.status) &&
    state.stopTokens[run.info.id] ? run : null;
}

function updateStop() {
  const run = stoppable();
  $("stop").hidden = !run;
  $("stop").disabled = !!(run && run.stopping);
}

async function stopRun() {
  const run = stoppable();
  if (!run) return;
  run.stopping = true;
  updateStop();
  let r, data;
  try {
    r = await fetch(`/api/runs/${run.info.id}/stop`, {
      method: "POST", body: JSON.stringify({ token: state.stopTokens[run.info.id] }),
      headers: { "Content-Type": "application/json" } });
    data = await r.json();
  } catch (e) {
    run.stopping = false;
    updateStop();
    setStatus(r ? `the classroom server answered ${r.status}` : NO_SERVER, true);
    return;
  }
  if (!r.ok) {
    run.stopping = false;
    updateStop();
    setStatus(data.error, true);
    return;
  }
  // the run's stream ends with its status, "stopped", and the list says so. A queued run ends
  // at once: its stream's end may have come first, and "stopping" written over it stayed
  if (run.done) return;
  setStatus(data.status === "stopped" ? `${data.label}: ${endedText({ ...run, info: data })}`
    : `stopping ${run.info.label}...`);
}

// ---- session list and views ----

// "stopped at year 9 of 40": how far a stopped run got (its frames stay on the page; its
// series, when the server no longer keeps its maps)
function stoppedText(run) {
  const last = run.frames.length ? run.frames[run.frames.length - 1]
    : run.series.length ? run.series[run.series.length - 1] : null;
  if (last && run.start)
    return `stopped at year ${+last.year.toFixed(2)} of ${+(run.start.steps / 4).toFixed(2)}`;
  // no line of it: stopped while queued (or before its first step)
  return run.start || run.info.frames || run.info.maps_dropped ? "stopped"
    : "stopped before it started";
}

// What ended a run that did not complete, after its label: "failed: REASON", "stopped at year
// 9 of 40", and the server's reason when it stopped the run by shutting down
function endedText(run) {
  const i = run.info;
  if (i.status === "stopped")
    return stoppedText(run) + (i.stopped_by === "server" && i.error ? `: ${i.error}` : "");
  return `${i.status}${i.error ? ": " + i.error : ""}`;
}

function listRuns() {
  const ul = $("runs");
  const focused = ul.contains(document.activeElement) ? document.activeElement.dataset.run : null;
  // One Tab stop for the whole list (a class's thirty runs were thirty Tab presses): the run
  // last focused there, else the one shown, else the latest; the arrow keys move within it
  const stop = [focused, state.rovingRun, state.a].find((id) => id && state.runs.has(id)) ||
    state.order[state.order.length - 1];
  ul.innerHTML = "";
  ul.setAttribute("role", "listbox");
  ul.setAttribute("aria-multiselectable", String(state.mode === "compare")); // A and B
  ul.setAttribute("aria-label", "runs of this session");
  for (const id of state.order) {
    const run = state.runs.get(id);
    const li = document.createElement("li");
    const st = run.done ? run.info.status : run.info.status || "running";
    li.textContent = `${run.info.label} [${st === "queued" ? "queued, " + queuedText(run.info)
      : st === "stopped" ? endedText(run) : st}]`;
    // what the engine warned of, under the entry: a rounded count pays for more than the
    // levers say, and a class compares what it sees with what it was told
    for (const w of run.info.warnings || []) {
      const note = document.createElement("div");
      note.className = "warning";
      note.textContent = "engine warning: " + w;
      li.appendChild(note);
    }
    li.dataset.run = id;
    li.classList.toggle("shown", isShown(run));
    li.tabIndex = id === stop ? 0 : -1;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", String(isShown(run)));
    li.onclick = () => showRun(id);
    li.onfocus = () => { state.rovingRun = id; };
    li.onkeydown = (ev) => {
      const items = [...ul.children], i = items.indexOf(li);
      const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: items.length - 1 }[ev.key];
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        showRun(id);
      } else if (to !== undefined) {
        ev.preventDefault();
        const next = items[Math.min(items.length - 1, Math.max(0, to))];
        li.tabIndex = -1;
        next.tabIndex = 0;
        next.focus();
      }
    };
    ul.appendChild(li);
    if (id === focused) li.focus();
  }
  updateStop();
  for (const sel of [$("cmp-a"), $("cmp-b")]) {
    const keep = sel.value;
    sel.innerHTML = "";
    for (const id of state.order) sel.add(new Option(state.runs.get(id).info.label, id));
    if (keep && state.runs.has(keep)) sel.value = keep;
  }
  if (!$("cmp-a").value && state.order.length) $("cmp-a").value = state.order[0];
  if (state.order.length > 1 && ($("cmp-b").value === $("cmp-a").value || !$("cmp-b").value))
    $("cmp-b").value = state.order[state.order.length - 1];
}

function showRun(id) {
  state.mode = "single";
  state.a = id;
  state.b = null;
  state.follow = true;
  const run = state.runs.get(id);
  follow(run); // a run another page started is streamed once it is looked at
  state.idx = Math.max(0, run.frames.length - 1);
  stopPlay();
  document.body.classList.remove("comparing");
  listRuns();
  redraw();
}

function compareRuns() {
  const a = $("cmp-a").value, b = $("cmp-b").value;
  if (!a || !b || a === b) { setStatus("pick two different runs to compare", true); return; }
  state.mode = "compare";
  state.a = a;
  state.b = b;
  follow(state.runs.get(a));
  follow(state.runs.get(b));
  // the maps follow the runs while either still goes (they stood still at the step Compare
  // was pressed); the time slider or Play takes over
  state.follow = !(state.runs.get(a).done && state.runs.get(b).done);
  state.idx = latestIdx();
  stopPlay();
  document.body.classList.add("comparing");
  setStatus("");
  listRuns();
  redraw();
}

// ---- maps ----

function fullMap(run, frame, layer, sector) {
  // the frame's land-cell list expanded to the grid (NaN at sea), cached on the frame; for the
  // cluster layer, sector is "all" (every tradable sector's clusters) or one sector's index
  if (layer === "clusters" && (sector === undefined || sector === null)) sector = "all";
  const key = layer === "sector" || layer === "clusters" ? layer + sector : layer;
  frame.cache = frame.cache || {};
  if (frame.cache[key]) return frame.cache[key];
  const { W, H, scale } = run.start;
  const m = new Float32Array(W * H).fill(NaN);
  const src = layer === "employment" ? frame.employment_map
    : layer === "sector" ? frame.sector_map[sector]
      : layer === "rent" ? frame.rent_map : frame.cluster_map;
  const k = layer === "employment" || layer === "sector" ? 1 / scale : 1;
  run.landIdx.forEach((c, i) => { m[c] = src[i] * k; });
  if (layer === "clusters") {
    // tradable sectors' clusters only: a non-tradable sector (local services, most of the jobs)
    // passes the location-quotient test only where and when its national share dips, which
    // looks like a policy effect
    const tradable = run.start.tradable;
    if (tradable) for (let c = 0; c < m.length; c++) if (m[c] >= 0 && !tradable[m[c]]) m[c] = -1;
    if (sector !== "all") for (let c = 0; c < m.length; c++) if (m[c] >= 0 && m[c] !== +sector)
      m[c] = -1;
  }
  frame.cache[key] = m;
  return m;
}

function lerpColour(stops, t) {
  t = Math.min(1, Math.max(0, t));
  const x = t * (stops.length - 1), i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
  return stops[i].map((v, j) => Math.round(v + f * (stops[i + 1][j] - v)));
}

function hexRgb(h) {
  return [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
}

// Colour scale of a layer for a run: fixed per run (from its first frame) so colours compare
// across time and between the maps of a comparison.
function scaleFor(run, layer, sector) {
  const f0 = run.frames[0];
  if (layer === "rent") {
    // the top of the scale: the 99th percentile of the cells with jobs, not the highest rent,
    // which is in a nearly empty cell (little office space: a thin-cell artefact)
    const m = fullMap(run, f0, "rent", 0), e = fullMap(run, f0, "employment", 0);
    let lo = Infinity;
    const withJobs = [];
    for (let c = 0; c < m.length; c++) {
      if (Number.isNaN(m[c])) continue;
      lo = Math.min(lo, m[c]);
      if (e[c] > 0) withJobs.push(m[c]);
    }
    withJobs.sort((p, q) => p - q);
    const hi = withJobs.length ? withJobs[Math.floor(0.99 * (withJobs.length - 1))] : lo;
    return { kind: "linear", lo, hi: Math.max(hi * 1.25, lo * 1.01 + 1e-9),
             unit: "rent, pounds per job-space per quarter (top colour: this and above)" };
  }
  if (layer === "clusters") return { kind: "categorical" };
  const m = fullMap(run, f0, layer, sector);
  let hi = 0;
  for (const v of m) if (v > hi) hi = v;
  const lo = 1 / run.start.scale; // one agent
  return { kind: "log", lo, hi: Math.max(hi * 2, lo * 10),
           unit: (layer === "sector" ? run.start.sectors[sector] + " " : "") +
                 "employment, workers per cell (full scale)" };
}

function colourOf(sc, v) {
  if (Number.isNaN(v)) return [198, 219, 232]; // sea
  if (sc.kind === "categorical") return v >= 0 ? hexRgb(SECTOR_COLOURS[v % 8]) : [236, 236, 230];
  if (sc.kind === "diff") {
    // square-root scale: small differences stay visible next to the largest
    const t = Math.sign(v) * Math.sqrt(Math.min(1, Math.abs(v) / sc.max));
    return t >= 0 ? lerpColour([[247, 247, 247], [178, 24, 43]], t)
      : lerpColour([[247, 247, 247], [33, 102, 172]], -t);
  }
  if (sc.kind === "clusterdiff")
    return v === 1 ? CLUSTER_DIFF.onlyB : v === -1 ? CLUSTER_DIFF.onlyA
      : v === 2 ? CLUSTER_DIFF.both : v === 3 ? CLUSTER_DIFF.differ : CLUSTER_DIFF.none;
  if (sc.kind === "log") {
    if (!(v > 0)) return [236, 236, 230];
    return lerpColour(VIRIDIS, Math.log(v / sc.lo) / Math.log(sc.hi / sc.lo));
  }
  return lerpColour(VIRIDIS, (v - sc.lo) / (sc.hi - sc.lo));
}

function presetOf(run) {
  return state.presets.find((q) => q.name === run.info.preset) || null;
}

// Where a run's policies act: an opened file's own (its start line's "areas", from the file's
// config), a preset's run its preset's
function runAreas(run) {
  if (run.start && run.start.areas) return run.start.areas;
  const p = presetOf(run);
  return p ? p.areas || [] : [];
}

// The places a preset's texts name (Cambridge, Norwich, ...) and those its policies name (funded
// universities): the map labels them first.
function namedPlaces(run) {
  if (!run.start) return new Set();
  const p = presetOf(run);
  const out = new Set();
  if (p) {
    const text = [p.description, p.question, p.look_for].join(" ");
    for (const c of run.start.cities)
      if (new RegExp(`\\b${c.name.replace(/[^A-Za-z ]/g, ".")}\\b`).test(text)) out.add(c.name);
  }
  for (const a of runAreas(run)) if (a.kind === "places") a.places.forEach((n) => out.add(n));
  return out;
}

// Where the shown runs' policies act, outlined on the map (dashed): circles, rectangles,
// regions (from the run's "regions" line), a transport link's ends, funded universities.
// Returns the boxes the city labels keep off and how many areas were drawn.
function drawAreas(ctx, run, areas) {
  const boxes = [];
  let drawn = 0;
  const { W, H } = run.start;
  const px = (v) => (v + 0.5) * CELL;
  const stroke = (path) => {
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 3.5;
    ctx.strokeStyle = "white";
    path();
    ctx.stroke();
    ctx.lineWidth = 1.8;
    ctx.strokeStyle = "black";
    path();
    ctx.stroke();
    ctx.setLineDash([]);
  };
  for (const a of areas) {
    if (a.kind === "circle") {
      const r = (a.r + 0.5) * CELL;
      stroke(() => { ctx.beginPath(); ctx.arc(px(a.x), px(a.y), r, 0, 2 * Math.PI); });
      boxes.push([px(a.x) - r - 2, px(a.y) - r - 2, px(a.x) + r + 2, px(a.y) + r + 2]);
      drawn++;
    } else if (a.kind === "rect") {
      const [x0, y0, x1, y1] = a.rect;
      stroke(() => { ctx.beginPath(); ctx.rect(x0 * CELL, y0 * CELL, (x1 - x0 + 1) * CELL,
                                               (y1 - y0 + 1) * CELL); });
      drawn++;
    } else if (a.kind === "regions" && run.regions) {
      const inArea = new Uint8Array(W * H);
      const want = new Set(a.regions.map((n) => run.regions.names.indexOf(n)));
      run.landIdx.forEach((c, i) => { if (want.has(run.regions.region_map[i])) inArea[c] = 1; });
      stroke(() => {
        ctx.beginPath();
        for (let y = 0; y < H; y++)
          for (let x = 0; x < W; x++) {
            if (!inArea[y * W + x]) continue;
            if (x === 0 || !inArea[y * W + x - 1]) { ctx.moveTo(x * CELL, y * CELL);
                                                     ctx.lineTo(x * CELL, (y + 1) * CELL); }
            if (x === W - 1 || !inArea[y * W + x + 1]) { ctx.moveTo((x + 1) * CELL, y * CELL);
                                                         ctx.lineTo((x + 1) * CELL, (y + 1) * CELL); }
            if (y === 0 || !inArea[(y - 1) * W + x]) { ctx.moveTo(x * CELL, y * CELL);
                                                       ctx.lineTo((x + 1) * CELL, y * CELL); }
            if (y === H - 1 || !inArea[(y + 1) * W + x]) { ctx.moveTo(x * CELL, (y + 1) * CELL);
                                                           ctx.lineTo((x + 1) * CELL, (y + 1) * CELL); }
          }
      });
      drawn++;
    } else if (a.kind === "link") {
      const [fx, fy] = a.from, [tx, ty] = a.to;
      stroke(() => { ctx.beginPath(); ctx.moveTo(px(fx), px(fy)); ctx.lineTo(px(tx), px(ty)); });
      for (const [x, y] of [a.from, a.to]) {
        const r = Math.max(2, (a.radius + 0.5) * CELL);
        stroke(() => { ctx.beginPath(); ctx.arc(px(x), px(y), r, 0, 2 * Math.PI); });
      }
      drawn++;
    } else if (a.kind === "places") {
      let found = 0;
      for (const name of a.places) {
        const c = run.start.cities.find((q) => q.name === name);
        if (!c) continue;
        stroke(() => { ctx.beginPath(); ctx.arc(px(c.x), px(c.y), 3 * CELL, 0, 2 * Math.PI); });
        found++;
      }
      if (found) drawn++;
    }
  }
  return { boxes, drawn };
}

function areasOf(runs) {
  const out = [];
  for (const r of runs) for (const a of runAreas(r)) out.push(a);
  return out;
}

function paint(canvas, run, values, sc, areaRuns) {
  const { W, H } = run.start;
  canvas.width = W * CELL;
  canvas.height = H * CELL;
  const off = document.createElement("canvas");
  off.width = W;
  off.height = H;
  const octx = off.getContext("2d");
  const img = octx.createImageData(W, H);
  for (let c = 0; c < W * H; c++) {
    const [r, g, b] = colourOf(sc, values[c]);
    img.data.set([r, g, b, 255], 4 * c);
  }
  octx.putImageData(img, 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, W * CELL, H * CELL);
  const areaRunsList = areaRuns || [run];
  // policy areas first: the city labels are placed off them
  const { boxes, drawn } = drawAreas(ctx, areaRunsList.find((r) => r.regions) || run,
                                     areasOf(areaRunsList));
  canvas.dataset.areas = drawn; // areas outlined (one of regions needs the run's regions line)
  // city names: the places the preset's notes name, then the largest, skipping ones that would
  // overlap (a named place tries the other side and above and below before it is drawn anyway)
  const named = new Set();
  for (const r of areaRunsList) namedPlaces(r).forEach((n) => named.add(n));
  const big = [...run.start.cities].sort((p, q) => q.population - p.population);
  const cities = big.filter((c) => named.has(c.name))
    .concat(big.filter((c) => !named.has(c.name)).slice(0, 14));
  ctx.font = "bold 11px sans-serif";
  const labelled = [];
  const overlaps = (b) => (o) => o[0] < b[2] && b[0] < o[2] && o[1] < b[3] && b[1] < o[3];
  const areaBoxes = boxes.slice(); // the policy areas' (tech_city's circle): nothing over them
  for (const c of cities) {
    const x = (c.x + 0.5) * CELL, y = (c.y + 0.5) * CELL;
    const w = ctx.measureText(c.name).width;
    // beside the mark, then further out: London's mark lies inside tech_city's circle, and its
    // name and mark hid the cells the class is told to look at
    const spots = [];
    for (const d of [0, 10, 20])
      spots.push([x + 5 + d, y + 4], [x - 5 - w - d, y + 4], [x - w / 2, y - 7 - d],
                 [x - w / 2, y + 15 + d]);
    const boxOf = ([tx, ty]) => [tx - 1, ty - 10, tx + w + 1, ty + 2];
    const free = (b) => !boxes.some(overlaps(b));
    let spot = spots.find((sp) => free(boxOf(sp)));
    if (!spot) {
      if (!named.has(c.name)) continue;
      // a named place is drawn anyway, but never over a policy area
      spot = spots.find((sp) => !areaBoxes.some(overlaps(boxOf(sp)))) || spots[0];
    }
    boxes.push(boxOf(spot));
    labelled.push(c.name);
    ctx.fillStyle = "black";
    // no mark inside a policy area: its outline marks the place
    if (!areaBoxes.some(overlaps([x - 2, y - 2, x + 2, y + 2]))) ctx.fillRect(x - 2, y - 2, 4, 4);
    ctx.lineWidth = 3;
    ctx.strokeStyle = "white";
    ctx.strokeText(c.name, spot[0], spot[1]);
    ctx.fillText(c.name, spot[0], spot[1]);
  }
  canvas.dataset.labels = labelled.join(",");
}

function frameAt(run, step) {
  // the last frame at or before step
  let best = run.frames[0];
  for (const f of run.frames) if (f.step <= step) best = f;
  return best;
}

function diffValues(ra, fa, rb, fb) {
  const { W, H } = ra.start;
  const out = new Float32Array(W * H);
  let max = 0;
  if (state.layer === "clusters") {
    // "in both" is a cluster of the same sector in A and B (of the chosen sector, or of any
    // tradable sector when all are shown); clusters of different sectors are a colour of
    // their own
    const sel = state.clusterSector;
    const ma = fullMap(ra, fa, "clusters", sel), mb = fullMap(rb, fb, "clusters", sel);
    for (let c = 0; c < W * H; c++) {
      if (Number.isNaN(ma[c])) { out[c] = NaN; continue; }
      const ia = ma[c] >= 0, ib = mb[c] >= 0;
      out[c] = ia && ib ? (ma[c] === mb[c] ? 2 : 3) : ib ? 1 : ia ? -1 : 0;
    }
    return { values: out, sc: { kind: "clusterdiff" } };
  }
  const ma = fullMap(ra, fa, state.layer, state.sector);
  const mb = fullMap(rb, fb, state.layer, state.sector);
  for (let c = 0; c < W * H; c++) {
    out[c] = mb[c] - ma[c];
    if (!Number.isNaN(out[c])) max = Math.max(max, Math.abs(out[c]));
  }
  return { values: out, sc: { kind: "diff", max: max || 1 } };
}

function shownRuns() {
  const a = state.runs.get(state.a);
  if (!a) return [];
  if (state.mode !== "compare") return [a];
  return [a, state.runs.get(state.b)];
}

function mapSector() {
  return state.layer === "clusters" ? state.clusterSector : state.sector;
}

function clusterWhat(run) {
  return state.clusterSector === "all" ? "clusters"
    : `${run.start.sectors[+state.clusterSector]} clusters`;
}

function redraw() {
  const runs = shownRuns();
  $("sector-label").style.display = state.layer === "clusters" ? "none" : "";
  $("cluster-sector-label").style.display = state.layer === "clusters" ? "" : "none";
  drawCharts(runs);
  if (!runs.length) {
    blankMaps("Choose a model, set the levers, press Run.", "");
    return;
  }
  const notReady = runs.find((r) => !(r.start && r.frames.length));
  if (notReady) {
    // never the previous run's map: each map is blanked and says what it waits for
    const r = notReady, label = r.info.label;
    const n = state.keepMaps;
    const text = r.done && r.info.maps_dropped
      ? `${label}${r.info.status === "complete" ? "" : ` (${r.info.status})`}: the server no ` +
        `longer keeps its maps (only those of the ${n === 1 ? "run" : n + " runs"} that ` +
        "finished last); its charts are kept"
      : r.done && r.info.status !== "complete" ? `${label}: ${endedText(r)}`
      : r.done ? `${label}: no map frames`
      : r.info.status === "queued" ? `${label} is queued: it starts when a run going ends ` +
        `(${queuedText(r.info)})`
      : `waiting for the first step of ${label}`;
    blankMaps(text, text);
    return;
  }
  const a = runs[0];
  state.idx = Math.min(state.idx, a.frames.length - 1);
  const fa = a.frames[state.idx];
  $("time").max = a.frames.length - 1;
  $("time").value = state.idx;
  $("time-label").textContent = `step ${fa.step} of ${a.start.steps}, year ${fa.year.toFixed(1)}`;
  $("time").setAttribute("aria-valuetext", `year ${yearText(fa.year)} of ` +
                         `${yearText(a.start.steps / 4)}`);
  const sc = scaleFor(a, state.layer, state.sector);
  const sel = mapSector();
  paint($("map-0"), a, fullMap(a, fa, state.layer, sel), sc);
  $("map-0").dataset.step = fa.step;
  $("cap-0").textContent = runs.length > 1 ? `A: ${a.info.label} (step ${fa.step})`
    : a.info.label;
  // the canvases' names for a screen reader: what each map shows, of which run, when
  const what = state.layer === "clusters" ? `detected ${clusterWhat(a)}` : sc.unit;
  $("map-0").setAttribute("aria-label", `${runs.length > 1 ? "map A" : "map"}: ${what}, ` +
                          `${a.info.label}, year ${yearText(fa.year)}`);
  let legendSc = sc;
  if (runs.length > 1) {
    const b = runs[1], fb = frameAt(b, fa.step);
    paint($("map-1"), b, fullMap(b, fb, state.layer, sel), sc);
    $("map-1").dataset.step = fb.step;
    $("cap-1").textContent = "B: " + b.info.label + ` (step ${fb.step})`;
    $("map-1").setAttribute("aria-label", `map B: ${what}, ${b.info.label}, year ` +
                            yearText(fb.year));
    const d = diffValues(a, fa, b, fb);
    paint($("map-2"), a, d.values, d.sc, [a, b]);
    $("map-2").dataset.step = fa.step;
    $("cap-2").textContent = state.layer === "clusters"
      ? (state.clusterSector === "all"
        // the colours in the key below the maps: the caption has two lines of a third of the
        // width, where the whole story was cut off at 1280 px
        ? "B - A: clusters in both, of other sectors, only in B, only in A (key below)"
        : `B - A, ${clusterWhat(a)}: yellow in both, blue only in B, orange only in A`)
      : `B - A: red more in B, blue more in A (±${fmt(d.sc.max)})`;
    $("map-2").setAttribute("aria-label", `difference map, ${what}, year ` +
                            `${yearText(fa.year)}: ${$("cap-2").textContent}`);
    legendSc = Object.assign({}, sc, { diffMax: d.sc.max });
  }
  drawLegend(legendSc, a, runs.length > 1);
  const notes = [];
  // runs of two scales differ by the scale too (a coarser sample of the same economy): at the
  // page's 0.001 Aberdeen's energy cluster fades even in the baseline, so baseline against
  // aberdeen_energy (0.002) showed the decline adding energy jobs
  if (runs.length > 1 && runs[0].start.scale !== runs[1].start.scale)
    notes.push(`A runs at scale ${runs[0].start.scale} and B at ${runs[1].start.scale}: a ` +
               "smaller scale is a coarser, noisier sample of the economy (one agent stands " +
               "for more people), so part of the difference is the scale's, not the policy's. " +
               "Compare runs of one scale.");
  const areas = areasOf(runs);
  if (areas.length)
    notes.push("Dashed outline: where the policy acts (" +
               [...new Set(areas.map((x) => x.name))].join(", ") + ").");
  if ((state.layer === "employment" || state.layer === "sector") &&
      runs.some((r) => r.start.scale < 0.01)) {
    // both runs' scales when they differ (it gave A's alone)
    const people = (r) => Math.round(1 / r.start.scale).toLocaleString("en-GB");
    const who = runs.length > 1 && runs[1].start.scale !== a.start.scale
      ? `${people(a)} people in A and ${people(runs[1])} in B` : `${people(a)} people`;
    notes.push(`Grey land has no simulated jobs: one agent stands for ${who}, so a small ` +
               "place's few jobs may have no agent at all.");
  }
  if (state.layer === "rent")
    notes.push("Rent: a cell with few or no jobs can show the highest rents (little office " +
               "space: a thin-cell artefact), so the colour scale tops out at the 99th " +
               "percentile of the cells with jobs.");
  $("layer-note").textContent = notes.join(" ");
  readCell(); // the numbers of the cell pointed at, in the year now shown
}

// Every map blanked, with text in the first's place and caption, and what described the last
// map shown cleared: its time, legend, key, notes and hover text (a restarted server's page
// kept them under the empty list)
function blankMaps(text, caption) {
  for (const k of [0, 1, 2]) {
    placeholder($("map-" + k), text);
    delete $("map-" + k).dataset.step;
    $("cap-" + k).textContent = k === 0 ? caption : "";
  }
  $("time").max = 0;
  $("time").value = 0;
  $("time").setAttribute("aria-valuetext", "no map shown");
  $("time-label").textContent = "";
  $("layer-note").textContent = "";
  const cv = $("legend");
  cv.getContext("2d").clearRect(0, 0, cv.width, cv.height);
  cv.setAttribute("aria-label", "colour scale: no map shown");
  $("map-key").innerHTML = "";
  $("hover").textContent = HOVER_HINT;
  hideTip();
}

function placeholder(cv, text) {
  cv.setAttribute("aria-label", text);
  cv.width = 400;
  cv.height = 640;
  const ctx = cv.getContext("2d");
  ctx.fillStyle = "#d9d9d4";
  ctx.fillRect(0, 0, cv.width, cv.height);
  ctx.fillStyle = "#24414f";
  ctx.font = "20px sans-serif";
  // wrapped to the canvas's width
  let line = "", y = 280;
  for (const word of text.split(" ")) {
    const next = line ? line + " " + word : word;
    if (ctx.measureText(next).width > cv.width - 40 && line) {
      ctx.fillText(line, 20, y);
      y += 26;
      line = word;
    } else line = next;
  }
  if (line) ctx.fillText(line, 20, y);
}

function keyItem(colour, text, data) {
  const e = document.createElement("span");
  e.className = "item";
  Object.assign(e.dataset, data);
  const sw = document.createElement("i");
  sw.style.background = colour;
  e.append(sw, text);
  return e;
}

function rgbCss(c) {
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

// The cluster layer's key, as page text: the sectors shown (tradable ones), what is left out
// and, when comparing, the difference map's colours.
function drawClusterKey(run, comparing) {
  const key = $("map-key");
  key.innerHTML = "";
  const tradable = run.start.tradable || run.start.sectors.map(() => true);
  const p1 = document.createElement("p");
  p1.append("Detected clusters of the tradable sectors (docs/metrics.md): ");
  run.start.sectors.forEach((s, i) => {
    if (tradable[i]) p1.appendChild(keyItem(SECTOR_COLOURS[i % 8], s, { sector: s }));
  });
  p1.appendChild(keyItem(rgbCss(CLUSTER_DIFF.none), "none", { kind: "none" }));
  key.appendChild(p1);
  const left = run.start.sectors.filter((s, i) => !tradable[i]);
  if (left.length) {
    const p2 = document.createElement("p");
    p2.id = "map-key-note";
    p2.textContent = `Not shown: ${left.join(", ")} (non-tradable, most of the jobs): its ` +
      "\"clusters\" appear and vanish wherever its national share dips below the threshold, " +
      "not because of a policy.";
    key.appendChild(p2);
  }
  if (comparing) {
    const p3 = document.createElement("p");
    const all = state.clusterSector === "all";
    const what = all ? "cluster" : `${run.start.sectors[+state.clusterSector]} cluster`;
    p3.append(`Difference map (B - A) of ${all ? "all tradable sectors' clusters"
      : what + "s"}: `);
    p3.appendChild(keyItem(rgbCss(CLUSTER_DIFF.both), all
      ? "a cluster of the same sector in A and B" : `a ${what} in A and B`, { kind: "both" }));
    if (all)
      p3.appendChild(keyItem(rgbCss(CLUSTER_DIFF.differ), "clusters in A and B, of different " +
                             "sectors", { kind: "differ" }));
    p3.appendChild(keyItem(rgbCss(CLUSTER_DIFF.onlyB), `a ${what} only in B`, { kind: "onlyB" }));
    p3.appendChild(keyItem(rgbCss(CLUSTER_DIFF.onlyA), `a ${what} only in A`, { kind: "onlyA" }));
    p3.appendChild(keyItem(rgbCss(CLUSTER_DIFF.none), "neither", { kind: "neither" }));
    key.appendChild(p3);
    if (all) {
      const p4 = document.createElement("p");
      p4.textContent = "A cell in clusters of several sectors counts as the sector with most " +
        "jobs there. Choose one sector (\"Clusters of\") to compare that sector alone.";
      key.appendChild(p4);
    }
  }
}

function drawLegend(sc, run, comparing) {
  const cv = $("legend");
  let ctx = cv.getContext("2d");
  ctx.clearRect(0, 0, cv.width, cv.height);
  document.body.classList.toggle("categorical", sc.kind === "categorical");
  if (sc.kind === "categorical") {
    drawClusterKey(run, comparing);
    return;
  }
  const rest = "grey: none; pale blue: sea" +
    (sc.diffMax ? `; difference map: ±${fmt(sc.diffMax)}` : "");
  // drawn at the width the page gives it: the scale with the unit and notes to its right, or
  // under it where that is too narrow (beside one map at 1024 px)
  ctx.font = "12px sans-serif";
  const W = Math.round(cv.clientWidth) || 900;
  const wide = W >= 384 + Math.max(ctx.measureText(sc.unit).width, ctx.measureText(rest).width);
  const Hc = wide ? 40 : 68;
  if (cv.width !== W || cv.height !== Hc) { cv.width = W; cv.height = Hc; }
  ctx = cv.getContext("2d");
  ctx.clearRect(0, 0, cv.width, cv.height);
  ctx.font = "12px sans-serif";
  ctx.fillStyle = "#222";
  const w = Math.min(360, W - 8);
  for (let i = 0; i < w; i++) {
    const t = i / (w - 1);
    const v = sc.kind === "log" ? sc.lo * Math.pow(sc.hi / sc.lo, t) : sc.lo + t * (sc.hi - sc.lo);
    const [r, g, b] = colourOf(sc, v);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(4 + i, 4, 1, 16);
  }
  ctx.fillStyle = "#222";
  for (let k = 0; k <= 4; k++) {
    const t = k / 4;
    const v = sc.kind === "log" ? sc.lo * Math.pow(sc.hi / sc.lo, t) : sc.lo + t * (sc.hi - sc.lo);
    ctx.fillText(fmt(v), 4 + t * (w - 30), 34);
  }
  ctx.fillText(sc.unit, wide ? 380 : 4, wide ? 16 : 50);
  ctx.fillText(rest, wide ? 380 : 4, wide ? 34 : 64);
  cv.setAttribute("aria-label", `colour scale: ${sc.unit}, from ${fmt(sc.lo)} to ` +
                  `${fmt(sc.hi)}${sc.kind === "log" ? " (logarithmic)" : ""}; ${rest}`);
}

// A cell's numbers in words, with their units (the rent read "rent 1004.000"): full-scale
// workers, and rent in pounds per job-space per quarter (the stream's "per step")
function cellInfo(run, frame, c) {
  const emp = fullMap(run, frame, "employment")[c];
  if (Number.isNaN(emp)) return "sea";
  const s = state.sector;
  const sec = fullMap(run, frame, "sector", s)[c];
  const rent = fullMap(run, frame, "rent")[c];
  const cl = fullMap(run, frame, "clusters")[c];
  return `employment ${amount(emp)} workers (${run.start.sectors[s]} ${amount(sec)}), ` +
         `rent ${amount(rent)} pounds per job-space per quarter, ` +
         `cluster: ${cl >= 0 ? run.start.sectors[cl] : "none"}`;
}

// 1,004 and 12,000 (whole numbers from 100), 3.27 (three significant figures below)
function amount(v) {
  return Math.abs(v) >= 100 || v === 0 ? Math.round(v).toLocaleString("en-GB")
    : String(+v.toPrecision(3));
}

// year 9, year 9.25 (a frame's year, or a run's length in years)
function yearText(y) {
  return String(+y.toFixed(2));
}

// "near Cambridge, East of England": the nearest city within 4 cells and the cell's region
function placeOf(run, x, y) {
  let best = null, bd = Infinity;
  for (const c of run.start.cities) {
    const d = Math.hypot(c.x - x, c.y - y);
    if (d < bd) { bd = d; best = c; }
  }
  const parts = [];
  if (best && bd <= 4) parts.push(bd < 0.5 ? best.name : `near ${best.name}`);
  if (run.regions) {
    const i = run.landIdx.indexOf(y * run.start.W + x);
    const reg = i >= 0 ? run.regions.names[run.regions.region_map[i]] : null;
    if (reg && !(best && bd < 0.5 && best.name === reg)) parts.push(reg); // not "London, London"
  }
  return parts.length ? ` (${parts.join(", ")})` : "";
}

// The cell under the pointer (a mouse over a map, a touch or a click on it): its numbers in the
// #hover line and in a box beside the pointer, kept in the window (the line alone sat under the
// charts, 600 px below the map at 1280x800). The point is kept, so that the numbers follow the
// map as it plays; a mouse leaving the map, a touch elsewhere or a scroll takes the box away.
function onHover(ev) {
  state.pointAt = { target: ev.currentTarget || ev.target, clientX: ev.clientX,
                    clientY: ev.clientY };
  readCell();
}

function hideTip() {
  state.pointAt = null;
  $("cell-tip").hidden = true;
}

function readCell() {
  const p = state.pointAt;
  if (!p) return;
  const runs = shownRuns();
  if (!runs.length || !runs.every((r) => r.start && r.frames.length)) { hideTip(); return; }
  const a = runs[0], rect = p.target.getBoundingClientRect();
  const x = Math.floor((p.clientX - rect.left) / rect.width * a.start.W);
  const y = Math.floor((p.clientY - rect.top) / rect.height * a.start.H);
  if (x < 0 || y < 0 || x >= a.start.W || y >= a.start.H) { hideTip(); return; }
  const c = y * a.start.W + x, fa = a.frames[state.idx], where = placeOf(a, x, y);
  const when = `year ${yearText(fa.year)}`; // the time slider's, not a step number
  let text = `cell (${x}, ${y})${where}, ${when}: ` + cellInfo(a, fa, c);
  if (runs.length > 1) {
    const b = runs[1], fb = frameAt(b, fa.step);
    text = `cell (${x}, ${y})${where}, ${when}\nA: ${cellInfo(a, fa, c)}\n` +
           `B: ${cellInfo(b, fb, c)}`;
  }
  $("hover").textContent = text;
  placeTip(text, p.clientX, p.clientY);
}

// below and right of the pointer, or above or left of it where the window ends there
function placeTip(text, x, y) {
  const tip = $("cell-tip"), gap = 14, m = 4;
  const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
  tip.textContent = text;
  tip.hidden = false;
  const r = tip.getBoundingClientRect();
  let left = x + gap, top = y + gap;
  if (left + r.width > vw - m) left = x - gap - r.width;
  if (top + r.height > vh - m) top = y - gap - r.height;
  tip.style.left = Math.max(m, Math.min(left, vw - m - r.width)) + "px";
  tip.style.top = Math.max(m, Math.min(top, vh - m - r.height)) + "px";
}

// ---- charts ----

// opts.floor: the axis starts no lower than it (0 for a total that cannot be negative, which
// the 5% margin took below zero: "-106M" of spending); opts.diff: two runs compared, whose
// readout gives B - A; opts.toggle(label): the legend's entries are buttons that hide and show
// a line (the axis rescales to the lines shown: energy's EG index, about 0.9, flattened
// digital's rise to 0.06-0.12), opts.hidden the labels hidden. The chart's pointer readout
// (cv.readYear, set by readChart) is drawn too.
function drawChart(cv, title, unit, lines, markStep, legendEl, opts = {}) {
  cv.lastDraw = [title, unit, lines, markStep, legendEl, opts]; // redrawn as the pointer moves
  cv.geom = null;
  cv.dataset.readout = "";
  const hidden = opts.toggle && opts.hidden ? opts.hidden : new Set();
  const listed = lines;
  lines = lines.filter((l) => !hidden.has(l.label));
  // drawn at the size the page gives the canvas, so text stays sharp at any window size
  const w = Math.round(cv.clientWidth), h = Math.round(cv.clientHeight);
  if (w > 0 && h > 0 && (cv.width !== w || cv.height !== h)) { cv.width = w; cv.height = h; }
  const ctx = cv.getContext("2d"), W = cv.width, H = cv.height;
  cv.dataset.lines = lines.map((l) => `${l.label}:${l.colour}`).join("|"); // what is drawn
  const canvasKey = lines.length > 1 && !legendEl;
  const L = 52, R = 8, T = 18, B = 18 + (canvasKey ? 14 : 0);
  // the legend rebuilt only when it changes (not as the pointer moves over the chart), so that
  // a click or the keyboard's focus on an entry is not lost
  const legendKey = JSON.stringify([listed.map((l) => [l.label, l.colour, l.dash]),
                                    [...hidden], !!opts.toggle]);
  if (legendEl && legendEl.dataset.key !== legendKey) {
    legendEl.dataset.key = legendKey;
    legendEl.innerHTML = "";
    if (listed.length > 1 || (listed.length && listed[0].label))
      for (const l of listed) {
        const e = document.createElement(opts.toggle ? "button" : "span");
        e.className = "item";
        e.dataset.label = l.label;
        e.style.color = l.colour;
        if (opts.toggle) {
          const on = !hidden.has(l.label);
          e.type = "button";
          e.setAttribute("aria-pressed", String(on));
          e.classList.toggle("off", !on);
          e.title = on ? `hide ${l.label} (the axis rescales to the lines shown)`
            : `show ${l.label}`;
          e.onclick = () => opts.toggle(l.label);
        }
        const sw = document.createElement("i");
        if (l.dash) sw.className = "dash";
        e.append(sw, l.label);
        legendEl.appendChild(e);
      }
  }
  ctx.clearRect(0, 0, W, H);
  ctx.fillStyle = "#222";
  // the title over the plot, else over the whole width, in a smaller font if need be, and cut
  // short only where even that is too narrow (the full title is the canvas's label then)
  const full = `${title} (${unit})`;
  let shown = full, x0 = L;
  for (const px of [11, 10, 9]) {
    ctx.font = `${px}px sans-serif`;
    x0 = L;
    if (ctx.measureText(full).width <= W - L - R) break;
    x0 = 2;
    if (ctx.measureText(full).width <= W - 4) break;
  }
  while (shown.length > 1 && ctx.measureText(shown).width > W - x0 - 2)
    shown = shown.slice(0, -2) + "\u2026";
  ctx.fillText(shown, x0, 12);
  cv.dataset.title = shown;
  cv.setAttribute("aria-label", full);
  cv.title = shown === full ? "" : full;
  ctx.font = "11px sans-serif";
  let xmax = 1, ymin = Infinity, ymax = -Infinity, points = 0;
  for (const l of lines) {
    for (let i = 0; i < l.xs.length; i++) {
      if (l.ys[i] === null) continue;
      xmax = Math.max(xmax, l.xs[i]);
      ymin = Math.min(ymin, l.ys[i]);
      ymax = Math.max(ymax, l.ys[i]);
    }
    points += l.xs.length;
  }
  cv.dataset.points = points;
  cv.dataset.ylabels = "";
  if (!Number.isFinite(ymin)) return;
  // the axis is labelled with the data's own lowest and highest values, each at its height: the
  // margin around them is for drawing only (the labels gave the padded range, 3.23G on the
  // spending axis for 3.08 billion spent, and 1.10 over a series all zero)
  const dmin = ymin, dmax = ymax;
  if (ymax - ymin < 1e-12 * Math.max(1, Math.abs(ymax))) { ymin -= 1; ymax += 1; }
  const pad = (ymax - ymin) * 0.05;
  ymin -= pad; ymax += pad;
  if (opts.floor !== undefined) ymin = Math.max(ymin, opts.floor);
  for (const l of lines) xmax = Math.max(xmax, l.xmax || 0);
  const px = (x) => L + (x / xmax) * (W - L - R);
  const py = (y) => H - B - ((y - ymin) / (ymax - ymin)) * (H - T - B);
  ctx.strokeStyle = "#999";
  ctx.strokeRect(L, T, W - L - R, H - T - B);
  // one label for a flat series (0 for one all zero), no invented range
  const ticks = fmt(dmax) === fmt(dmin) ? [dmax] : [dmin, dmax];
  ctx.beginPath();
  for (const v of ticks) {
    ctx.moveTo(L - 4, py(v));
    ctx.lineTo(L, py(v));
    ctx.fillText(fmt(v), 2, py(v) + 4);
  }
  ctx.stroke();
  cv.dataset.ylabels = ticks.map(fmt).join("|");
  ctx.fillText("year " + (xmax).toFixed(0), W - R - 50, H - B + 12);
  for (const l of lines) {
    ctx.strokeStyle = l.colour;
    ctx.setLineDash(l.dash ? [5, 3] : []);
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let on = false;
    for (let i = 0; i < l.xs.length; i++) {
      if (l.ys[i] === null) { on = false; continue; }
      if (on) ctx.lineTo(px(l.xs[i]), py(l.ys[i]));
      else ctx.moveTo(px(l.xs[i]), py(l.ys[i]));
      on = true;
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
  if (markStep !== null) {
    ctx.strokeStyle = "#444";
    ctx.beginPath();
    ctx.moveTo(px(markStep), T);
    ctx.lineTo(px(markStep), H - B);
    ctx.stroke();
  }
  if (canvasKey) {
    let x = L;
    for (const l of lines) {
      ctx.fillStyle = l.colour;
      ctx.fillText((l.dash ? "- - " : "— ") + l.label, x, H - 3);
      x += ctx.measureText(l.label).width + 26;
    }
  }
  cv.geom = { L, R, W, xmax };
  if (cv.readYear !== undefined && cv.readYear !== null)
    drawReadout(ctx, cv, lines, px, { T, H, W, R }, opts);
}

// The values of a chart in the year under the pointer: each line's, and B - A for two runs
// compared (a national difference of 18,000 digital jobs on over a million is a pixel or two between
// the lines). Drawn in a box beside a dotted line at that year; its rows are the canvas's
// data-readout, "|"-separated.
function drawReadout(ctx, cv, lines, px, box, opts) {
  const nearest = (l, year) => {
    let best = -1;
    for (let i = 0; i < l.xs.length; i++)
      if (l.ys[i] !== null && (best < 0 || Math.abs(l.xs[i] - year) < Math.abs(l.xs[best] - year)))
        best = i;
    return best;
  };
  const first = lines.find((l) => nearest(l, cv.readYear) >= 0);
  if (!first) return;
  const year = first.xs[nearest(first, cv.readYear)];
  const rows = [[`year ${yearText(year)}`, "#222"]];
  const vals = lines.map((l) => {
    const i = nearest(l, year);
    return i >= 0 && Math.abs(l.xs[i] - year) < 1e-9 ? l.ys[i] : null;
  });
  lines.forEach((l, k) => {
    if (vals[k] !== null) rows.push([`${l.label ? l.label + ": " : ""}${readNum(vals[k])}`,
                                     l.colour]);
  });
  if (opts.diff && lines.length === 2 && vals[0] !== null && vals[1] !== null) {
    const d = vals[1] - vals[0];
    rows.push([`B - A: ${d > 0 ? "+" : ""}${readNum(d)}`, "#222"]);
  }
  cv.dataset.readout = rows.map((r) => r[0]).join("|");
  const x = px(year);
  ctx.strokeStyle = "#444";
  ctx.setLineDash([2, 2]);
  ctx.beginPath();
  ctx.moveTo(x, box.T);
  ctx.lineTo(x, box.H - 4);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.font = "11px sans-serif";
  const w = Math.max(...rows.map((r) => ctx.measureText(r[0]).width)) + 8;
  const h = rows.length * 12 + 4;
  const left = x + 6 + w <= box.W - box.R ? x + 6 : Math.max(0, x - 6 - w);
  ctx.fillStyle = "rgba(255, 255, 255, 0.92)";
  ctx.fillRect(left, box.T + 1, w, h);
  ctx.strokeStyle = "#999";
  ctx.strokeRect(left, box.T + 1, w, h);
  rows.forEach(([text, colour], k) => {
    ctx.fillStyle = colour;
    ctx.fillText(text, left + 4, box.T + 13 + 12 * k);
  });
}

// Pointing at a chart (a mouse over it, a touch or a click on it) shows its readout for that
// year; a mouse leaving it takes the readout away
function readChart(ev) {
  const cv = ev.currentTarget, g = cv.geom;
  if (!g || !cv.lastDraw) return;
  const r = cv.getBoundingClientRect();
  const x = (ev.clientX - r.left) * (cv.width / r.width);
  cv.readYear = Math.min(g.xmax, Math.max(0, (x - g.L) / (g.W - g.L - g.R) * g.xmax));
  drawChart(cv, ...cv.lastDraw);
}

// 1,216,000 and -18,000 (whole numbers from 100; millions and more to four figures: 3.080G),
// 6.93 (three significant figures below 100)
function readNum(v) {
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toPrecision(4) + "G";
  if (a >= 1e7) return (v / 1e6).toPrecision(4) + "M";
  return amount(v);
}

function drawCharts(runs) {
  const mk = (run, get, colour, dash, label) => ({
    xs: run.series.map((s) => s.year), ys: run.series.map(get), colour, dash, label,
    xmax: run.start ? run.start.steps / 4 : 0,
  });
  const ready = runs.filter((r) => r.start);
  const names = ["A", "B"];
  const cols = ["#24414f", "#d62728"];
  const label = (i) => (ready.length > 1 ? names[i] : "");
  const cmp = { diff: ready.length > 1 }; // the readout gives B - A
  const a = ready[0];
  const mark = a && a.frames.length ? a.frames[Math.min(state.idx, a.frames.length - 1)].year
    : null;
  drawChart($("chart-employment"), "employment", "workers, full scale",
    ready.map((r, i) => mk(r, (s) => s.employment, cols[i], i > 0, label(i))), mark, undefined, cmp);
  drawChart($("chart-unemployment"), "unemployment rate", "%",
    ready.map((r, i) => mk(r, (s) => 100 * s.unemployment_rate, cols[i], i > 0, label(i))), mark, undefined, cmp);
  drawChart($("chart-output"), "output", "pounds per quarter, full scale",
    ready.map((r, i) => mk(r, (s) => s.output, cols[i], i > 0, label(i))), mark, undefined, cmp);
  // what the policy has cost so far: a policy that changes nothing still spends
  drawChart($("chart-spending"), "public spending so far", "pounds, full scale",
    ready.map((r, i) => mk(r, (s) => s.spent, cols[i], i > 0, label(i))), mark, undefined,
    { floor: 0, ...cmp });
  let eg = [];
  if (ready.length === 1) {
    eg = a.start.sectors.map((name, k) =>
      mk(a, (s) => s.eg_index[k], SECTOR_COLOURS[k % 8], false, name));
  } else if (ready.length > 1) {
    const k = state.sector;
    eg = ready.map((r, i) => mk(r, (s) => s.eg_index[k], cols[i], i > 0,
                                `${names[i]} ${r.start.sectors[k]}`));
  }
  // one run's sectors: a click on a sector in the legend hides or shows its line
  const egToggle = ready.length === 1 ? {
    hidden: state.egHidden,
    toggle: (name) => {
      if (!state.egHidden.delete(name)) state.egHidden.add(name);
      redraw();
    } } : {};
  drawChart($("chart-eg"), "EG index by sector", "concentration", eg, mark,
            $("eg-legend"), { ...cmp, ...egToggle });
  // detected clusters per sector (the tradable sectors; the chosen sector when comparing)
  let cl = [];
  if (ready.length === 1) {
    const tradable = a.start.tradable || a.start.sectors.map(() => true);
    cl = a.start.sectors.map((name, k) => tradable[k] &&
      mk(a, (s) => (s.cluster_count ? s.cluster_count[k] : null), SECTOR_COLOURS[k % 8], false,
         name)).filter(Boolean);
  } else if (ready.length > 1) {
    // the sector the map's "Clusters of" menu shows, when it shows one
    const k = state.layer === "clusters" && state.clusterSector !== "all"
      ? +state.clusterSector : state.sector;
    cl = ready.map((r, i) => mk(r, (s) => (s.cluster_count ? s.cluster_count[k] : null), cols[i],
                                i > 0, `${names[i]} ${r.start.sectors[k]}`));
  }
  drawChart($("chart-clusters"), "clusters per sector", "number", cl, mark, $("clusters-legend"),
            cmp);
  // one sector's national employment and one region's employment, from the map frames (a point
  // a year)
  const fr = (run, get, colour, dash, lab) => ({
    xs: run.frames.map((f) => f.year), ys: run.frames.map(get), colour, dash, label: lab,
    xmax: run.start.steps / 4,
  });
  const k = state.sector;
  const secName = a ? a.start.sectors[k] : "sector";
  drawChart($("chart-sector"), `${secName} employment, whole country`, "workers, full scale",
    ready.map((r, i) => fr(r, (f) => sum(f.sector_map[k]) / r.start.scale, cols[i], i > 0,
                           label(i))), mark, undefined, cmp);
  const reg = state.region;
  const withRegions = ready.filter((r) => r.regions && r.regions.names.includes(reg));
  drawChart($("chart-region"), reg ? `employment in ${reg}` : "employment in a region",
    // each run keeps its own colour and letter when another has no regions (an opened file)
    "workers, full scale", withRegions.map((r) => {
      const i = ready.indexOf(r);
      return fr(r, (f) => regionSum(r, f, reg), cols[i], i > 0, label(i));
    }), mark, undefined, cmp);
}

function sum(xs) {
  let t = 0;
  for (const v of xs) t += v;
  return t;
}

// full-scale employment of a region in a frame (the run's "regions" line), cached on the frame
function regionSum(run, frame, name) {
  frame.regionCache = frame.regionCache || {};
  if (name in frame.regionCache) return frame.regionCache[name];
  const k = run.regions.names.indexOf(name), rm = run.regions.region_map;
  let t = 0;
  for (let i = 0; i < rm.length; i++) if (rm[i] === k) t += frame.employment_map[i];
  return (frame.regionCache[name] = t / run.start.scale);
}

function fillRegions(run) {
  const sel = $("region");
  if (sel.options.length) return;
  for (const n of run.regions.names) sel.add(new Option(n, n));
  state.region = state.region || presetRegion(state.preset) || run.regions.names[0];
  sel.value = state.region;
}

function presetRegion(p) {
  const a = p && (p.areas || []).find((x) => x.kind === "regions");
  return a ? a.regions[0] : null;
}

// ---- playback ----

function stopPlay() {
  if (state.playing) clearTimeout(state.playing);
  state.playing = null;
  $("play").textContent = "Play";
}

function togglePlay() {
  if (state.playing) { stopPlay(); return; }
  const a = state.runs.get(state.a);
  if (!a || !a.frames.length) return;
  if (!a.done && state.idx >= a.frames.length - 1) {
    // a live run shown at its latest step: nothing to replay yet, keep following it
    state.follow = true;
    setStatus(`${a.info.label} is still running: the map follows it; press Play when it has ` +
              "finished to replay it from year 0");
    return;
  }
  state.follow = false;
  if (state.idx >= a.frames.length - 1) state.idx = 0;
  $("play").textContent = "Pause";
  // each step waits as long as the Speed menu says now, so a change takes effect at once
  const tick = () => {
    if (state.idx >= a.frames.length - 1) {
      // at the end of a finished run: stop; caught up with a live run: follow it from here
      if (!a.done) state.follow = true;
      stopPlay();
      return;
    }
    state.idx++;
    redraw();
    state.playing = setTimeout(tick, 1000 / +$("speed").value);
  };
  state.playing = setTimeout(tick, 1000 / +$("speed").value);
}

// ---- files ----

async function openFile(file) {
  setStatus(`opening ${file.name}...`);
  let r, data;
  try {
    r = await fetch("/api/open", { method: "POST", body: file,
                                   headers: { "X-File-Name": file.name } });
    data = await r.json();
  } catch (e) {
    setStatus(r ? `the classroom server answered ${r.status}` : NO_SERVER, true);
    return;
  }
  if (!r.ok) { setStatus(data.error, true); return; }
  const run = newRun(data);
  run.pickRegion = true;
  showRun(run.info.id);
  follow(run);
  setStatus(`opened ${file.name}`);
}

// A lever's value as its run's label gives it (server.py short): six significant figures,
// millions as M. Rounded further, a slider at 439.5 read 440 and its run 439.5.
function leverText(v) {
  return Math.abs(v) >= 1e6 ? String(+(v / 1e6).toPrecision(6)) + "M" : String(+v.toPrecision(6));
}

// A lever's value on the page: a share as a percentage (levers.cfg percent; "Profit tax cut:
// 1 share" read as a whole profit)
function leverShown(lv, v) {
  return lv.percent ? leverText(v * 100) + "%" : leverText(v);
}

// The values a lever's slider stops at: min to max by step and the preset's own value, which
// a relative lever's round step (server.py nice_step) may pass between two stops
function leverStops(lv) {
  const out = [];
  const n = Math.floor((lv.max - lv.min) / lv.step + 1e-9);
  for (let k = 0; k <= n; k++) out.push(+(lv.min + k * lv.step).toPrecision(12));
  if (out[out.length - 1] < lv.max - 1e-9 * Math.abs(lv.max)) out.push(lv.max);
  const i = out.findIndex((v) => Math.abs(v - lv.default) <= 1e-9 * Math.max(1, Math.abs(v)));
  if (i >= 0) out[i] = lv.default;
  else out.push(lv.default);
  return out.sort((p, q) => p - q);
}

function fmt(v) {
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toPrecision(3) + "G";
  if (a >= 1e6) return (v / 1e6).toPrecision(3) + "M";
  if (a >= 1e4) return (v / 1e3).toPrecision(3) + "k";
  if (a >= 100 || Number.isInteger(v)) return v.toFixed(0);
  return v.toPrecision(3);
}

// ---- wiring ----

$("run").onclick = startRun;
$("stop").onclick = stopRun;
$("compare").onclick = compareRuns;
$("play").onclick = togglePlay;
$("layer").onchange = () => { state.layer = $("layer").value; redraw(); };
$("sector").onchange = () => { state.sector = +$("sector").value; redraw(); };
$("cluster-sector").onchange = () => {
  const v = $("cluster-sector").value;
  state.clusterSector = v === "all" ? "all" : +v;
  redraw();
};
$("region").onchange = () => { state.region = $("region").value; redraw(); };
$("time").oninput = () => { state.follow = false; state.idx = +$("time").value; redraw(); };
$("seed").onchange = () => { const v = seedValue(); if (v !== null) state.seed = v; };
$("seed-down").onclick = () => setSeed((seedValue() ?? state.seed) - 1);
$("seed-up").onclick = () => setSeed((seedValue() ?? state.seed) + 1);
let resizing = null;
window.addEventListener("resize", () => {
  if (!resizing) resizing = requestAnimationFrame(() => { resizing = null; redraw(); });
});
for (const k of [0, 1, 2]) {
  const cv = $("map-" + k);
  cv.addEventListener("pointermove", onHover);
  cv.addEventListener("pointerdown", onHover);
  cv.addEventListener("pointerleave", (ev) => { if (ev.pointerType === "mouse") hideTip(); });
}
// a touch's box stays until a touch elsewhere; the box is placed in the window, not the page
document.addEventListener("pointerdown", (ev) => {
  if (!(ev.target.id || "").startsWith("map-")) hideTip();
});
window.addEventListener("scroll", hideTip, { passive: true });
for (const cv of document.querySelectorAll("#charts canvas")) {
  cv.addEventListener("pointermove", readChart);
  cv.addEventListener("pointerdown", readChart);
  cv.addEventListener("pointerleave", (ev) => {
    if (ev.pointerType !== "mouse" || !cv.lastDraw) return; // a touch's readout stays
    cv.readYear = null;
    drawChart(cv, ...cv.lastDraw);
  });
}
$("file").onchange = () => { if ($("file").files[0]) openFile($("file").files[0]); };
document.addEventListener("dragover", (e) => { e.preventDefault();
                                               document.body.classList.add("dragging"); });
document.addEventListener("dragleave", (e) => { if (!e.relatedTarget)
                                                document.body.classList.remove("dragging"); });
document.addEventListener("drop", (e) => {
  e.preventDefault();
  document.body.classList.remove("dragging");
  if (e.dataTransfer.files[0]) openFile(e.dataTransfer.files[0]);
});
// The server's session (GET /api/runs, POST /api/run): a restarted server has another, and the
// runs this page listed are gone with the old one. Dropped here, before a new run is added (a
// run started on the restarted server before the list's next poll was dropped with them).
function adoptSession(session) {
  if (!session) return;
  if (state.session && session !== state.session) {
    for (const run of state.runs.values()) if (run.es) run.es.close();
    state.runs.clear();
    state.order = [];
    state.a = state.b = null;
    state.mode = "single";
    document.body.classList.remove("comparing");
    stopPlay();
    setStatus("the classroom server was restarted: the runs of its last session are gone");
    listRuns();
    redraw();
  }
  state.session = session;
}

// Runs other pages start (groups on their own laptops share the session) join the list
// every few seconds, without a reload. They are streamed only once shown or compared: a
// browser opens about six connections to one server, and a stream per run of a whole class
// would use them up.
async function pollRuns() {
  let r;
  try {
    r = await (await fetch("/api/runs")).json();
  } catch (e) {
    // the server went away: said now, not at the next Run, and once (what the status line
    // says meanwhile, a run's end, is not written over at every poll)
    if (!state.unreachable) setStatus(NO_SERVER, true);
    state.unreachable = true;
    return;
  }
  if (state.unreachable) {
    state.unreachable = false;
    if ($("status").textContent === NO_SERVER) setStatus("");
  }
  adoptSession(r.session);
  let changed = false;
  for (const info of r.runs) {
    const run = state.runs.get(info.id);
    if (!run) {
      newRun(info);
      changed = true;
    } else if ((!run.following && run.info.status !== info.status) ||
               (run.info.status === "queued" && info.status === "queued" &&
                run.info.ahead !== info.ahead)) {
      run.info = info;
      changed = true;
    }
  }
  // the session's order (the order runs started in), whatever order this page heard of them:
  // its own runs came first and other groups' later, so the list read #1, #4, #2, #3
  const pos = new Map(r.runs.map((info, i) => [info.id, i]));
  const order = [...state.order].sort((x, y) => (pos.get(x) ?? Infinity) - (pos.get(y) ?? Infinity));
  if (order.some((id, i) => id !== state.order[i])) {
    state.order = order;
    changed = true;
  }
  if (changed) listRuns();
}

loadPresets().then(async () => {
  // runs already in the session (a reloaded page): listed, the latest shown, the others
  // streamed once shown
  const r = await (await fetch("/api/runs")).json();
  state.session = r.session;
  for (const info of r.runs) newRun(info);
  if (state.order.length) showRun(state.order[state.order.length - 1]);
  listRuns();
  redraw();
  setInterval(pollRuns, RUNS_POLL_MS);
}).catch(() => setStatus(NO_SERVER, true));
