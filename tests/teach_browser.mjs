// End-to-end check of the classroom page in Debian's chromium, driven by puppeteer-core
// (teach/node_modules, `make teach-test-deps`). Run by tests/test_teach_browser.py:
//   node tests/teach_browser.mjs URL SCREENSHOT_DIR RUNFILE.h5
// Prints one JSON object of what it saw; exits 1 with a message on the first failed check.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "teach", "package.json"));
const puppeteer = require("puppeteer-core");

const [url, shots, runfile, only] = process.argv.slice(2);
const seen = {};
function check(cond, msg) {
  if (!cond) {
    console.error("FAILED: " + msg + "\n" + JSON.stringify(seen));
    process.exit(1);
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- single checks (argument 4), each of one fix of the page ----

const status = (page) => page.$eval("#status", (e) => e.textContent);
async function setSeed(page, n) {
  // the seed box, or the seed slider of an older page
  await page.evaluate((n) => {
    const e = document.getElementById("seed") ||
      document.querySelector('#levers input[data-key="seed"]');
    e.value = n;
    e.dispatchEvent(new Event("input"));
    e.dispatchEvent(new Event("change"));
  }, n);
}
async function runAndWait(page, preset, seed, done = "complete") {
  await page.click(`#presets button[data-preset="${preset}"]`);
  await setSeed(page, seed);
  const n = await page.$$eval("#runs li", (ls) => ls.length);
  // Run is disabled for a second after a click
  await page.waitForFunction(() => !document.getElementById("run").disabled);
  await page.click("#run");
  await page.waitForFunction((n) => document.querySelectorAll("#runs li").length > n,
                             { timeout: 60000 }, n);
  const id = await page.$$eval("#runs li", (ls) => ls[ls.length - 1].dataset.run);
  if (done) await page.waitForFunction((id, done) => {
    const li = document.querySelector(`#runs li[data-run="${id}"]`);
    return li && li.textContent.includes(`[${done}]`);
  }, { timeout: 120000 }, id, done);
  return id;
}
// cells (4x4 pixel blocks) of a map wholly of colour c
function countCells(id, c) {
  const cv = document.getElementById(id), W = cv.width;
  const d = cv.getContext("2d").getImageData(0, 0, W, cv.height).data;
  const is = (x, y) => { const i = 4 * (y * W + x);
                         return d[i] === c[0] && d[i + 1] === c[1] && d[i + 2] === c[2]; };
  let n = 0;
  for (let y = 0; y < cv.height; y += 4)
    for (let x = 0; x < W; x += 4) {
      let all = true;
      for (let k = 0; k < 16 && all; k++) all = is(x + (k % 4), y + (k >> 2));
      if (all) n++;
    }
  return n;
}

const CHECKS = {
  // the cluster difference map's "in both" is a cluster of the same sector in A and B
  async cluster_diff(page) {
    const a = await runAndWait(page, "emergence", 1);
    const b = await runAndWait(page, "emergence", 2);
    await page.select("#cmp-a", a);
    await page.select("#cmp-b", b);
    await page.select("#layer", "clusters");
    await page.click("#compare");
    const measure = (countSrc) => page.evaluate((countSrc) => {
      const countCells = eval("(" + countSrc + ")");
      const ra = state.runs.get(state.a), rb = state.runs.get(state.b);
      const fa = ra.frames[ra.frames.length - 1], fb = rb.frames[rb.frames.length - 1];
      const tr = ra.start.tradable, sel = document.getElementById("cluster-sector");
      const want = sel ? sel.value : "all";
      const keep = (s) => s >= 0 && tr[s] && (want === "all" || s === +want);
      let same = 0, differ = 0;
      for (let i = 0; i < fa.cluster_map.length; i++) {
        const ca = fa.cluster_map[i], cb = fb.cluster_map[i];
        if (keep(ca) && keep(cb)) { if (ca === cb) same++; else differ++; }
      }
      const key = document.getElementById("map-key");
      const colour = (kind) => {
        const e = key.querySelector(`.item[data-kind="${kind}"] i`);
        return e ? getComputedStyle(e).backgroundColor.match(/\d+/g).slice(0, 3).map(Number) : null;
      };
      const both = colour("both"), diff = colour("differ");
      return { step: fa.step, same, differ, want, text: key.textContent,
               gold: countCells("map-2", both), purple: diff ? countCells("map-2", diff) : null,
               onlyA: colour("onlyA"), onlyB: colour("onlyB"),
               caption: document.getElementById("cap-2").textContent };
    }, countSrc);
    seen.all = await measure(countCells.toString());
    check(seen.all.step === 160 && seen.all.differ > 0, "no cells of different sectors: " +
          JSON.stringify(seen.all));
    check(seen.all.gold === seen.all.same, `gold cells ${seen.all.gold}, cells of the same ` +
          `sector in both ${seen.all.same} (different sectors: ${seen.all.differ})`);
    check(seen.all.purple === seen.all.differ && /same sector/.test(seen.all.text) &&
          /different sectors/.test(seen.all.text), "the key and the map disagree: " +
          JSON.stringify(seen.all));
    // only in B and only in A: blue and orange, which a red-green colour-blind pupil tells
    // apart (they were green and red)
    const [ob, oa] = [seen.all.onlyB, seen.all.onlyA];
    check(ob[2] > ob[0] + 100 && ob[2] > ob[1] && oa[0] > oa[2] + 100 && oa[1] > 60 &&
          oa[1] < oa[0] - 60, "only in B / only in A: " + JSON.stringify([ob, oa]));
    // one sector chosen: that sector's clusters only
    const digital = await page.$$eval("#cluster-sector option",
      (os) => os.find((o) => o.textContent === "digital").value);
    await page.select("#cluster-sector", digital);
    seen.digital = await measure(countCells.toString());
    check(seen.digital.want === digital && seen.digital.gold === seen.digital.same &&
          seen.digital.purple === null && /digital cluster/.test(seen.digital.text),
          "one sector: " + JSON.stringify(seen.digital));
    check(seen.digital.caption === "B - A, digital clusters: yellow in both, blue only in B, " +
          "orange only in A", "one sector's caption: " + seen.digital.caption);
  },

  // the engine's warnings are shown under the run's entry: picking_winners at the server's
  // --scale 0.001 (forced here) subsidises one simulated firm of 1,000 for the lever's 500, and
  // the page said 500 with no word of it; a run with no warning has no note
  async engine_warning(page) {
    const warned = await runAndWait(page, "picking_winners", 1);
    const quiet = await runAndWait(page, "baseline", 1);
    const notes = (id) => page.$$eval(`#runs li[data-run="${id}"] .warning`,
                                      (es) => es.map((e) => e.textContent));
    // the list's entry says it during the run too (the stream's "warning" line); after the
    // run, from the run's info, also on a page that did not follow it (a reload)
    seen.warned = await notes(warned);
    seen.quiet = await notes(quiet);
    check(seen.warned.length === 1 && /^engine warning: scenarios\/picking_winners\.cfg: .*count 500 at scale 0\.001 .*\(200% of the count asked\)/
          .test(seen.warned[0]) && seen.quiet.length === 0,
          "warning notes: " + JSON.stringify([seen.warned, seen.quiet]));
    await page.reload({ waitUntil: "networkidle0" });
    await page.waitForFunction((id) => document.querySelector(`#runs li[data-run="${id}"]`),
                               { timeout: 15000 }, warned);
    seen.reloaded = await notes(warned);
    check(JSON.stringify(seen.reloaded) === JSON.stringify(seen.warned),
          "after a reload: " + JSON.stringify(seen.reloaded));
  },

  // the charts' axes are labelled with the data's lowest and highest values (they gave the range
  // padded by 5%: 3.23G on the spending axis for 3.08 billion spent, 1.10 over a series all
  // zero); pointing at a chart reads its lines in that year, and B - A when comparing (plan 2's
  // national difference of 18,000 digital jobs is one pixel between the lines)
  async chart_labels(page) {
    // "3.08G" and "-18,000" as numbers; within the rounding of a label's three figures
    const num = (t) => {
      const m = t.replace(/,/g, "").match(/^([+-]?[\d.]+)([kMG]?)$/);
      return m ? +m[1] * { "": 1, k: 1e3, M: 1e6, G: 1e9 }[m[2]] : NaN;
    };
    const near3 = (label, v) => Math.abs(num(label) - v) <=
      0.5001 * 10 ** (Math.floor(Math.log10(Math.abs(v))) - 2);
    const base = await runAndWait(page, "baseline", 1);
    seen.base = await page.evaluate(() => {
      const s = state.runs.get(state.a).series.map((x) => 100 * x.unemployment_rate);
      return { spending: $("chart-spending").dataset.ylabels,
               unemployment: $("chart-unemployment").dataset.ylabels,
               min: Math.min(...s), max: Math.max(...s) };
    });
    check(seen.base.spending === "0", "a baseline's spending axis (all zero): " +
          seen.base.spending);
    const [ulo, uhi] = seen.base.unemployment.split("|");
    check(near3(ulo, seen.base.min) && near3(uhi, seen.base.max),
          "unemployment axis: " + JSON.stringify(seen.base));
    const policy = await runAndWait(page, "tech_city", 1);
    seen.policy = await page.evaluate(() => {
      const s = state.runs.get(state.a).series;
      return { labels: $("chart-spending").dataset.ylabels, spent: s[s.length - 1].spent };
    });
    const [slo, shi] = seen.policy.labels.split("|");
    check(slo === "0" && near3(shi, seen.policy.spent),
          "tech_city's spending axis: " + JSON.stringify(seen.policy));
    // compare, and point at the national digital chart in year 10
    await page.select("#cmp-a", base);
    await page.select("#cmp-b", policy);
    await page.click("#compare");
    const digital = await page.$$eval("#sector option",
      (os) => os.find((o) => o.textContent === "digital").value);
    await page.select("#sector", digital);
    await sleep(300);
    const at = async (year) => {
      const g = await page.$eval("#chart-sector", (cv) => ({ ...cv.geom, cw: cv.width }));
      const box = await (await page.$("#chart-sector")).boundingBox();
      await page.mouse.move(box.x + (g.L + (year / g.xmax) * (g.W - g.L - g.R)) *
                            box.width / g.cw, box.y + box.height / 2);
      return page.$eval("#chart-sector", (cv) => cv.dataset.readout);
    };
    seen.readout = await at(10);
    seen.values = await page.evaluate((k) => [state.a, state.b].map((id) => {
      const r = state.runs.get(id), f = r.frames.find((x) => x.year === 10);
      return f.sector_map[k].reduce((p, q) => p + q, 0) / r.start.scale;
    }), +digital);
    const rows = seen.readout.split("|");
    const [va, vb] = seen.values;
    check(rows.length === 4 && rows[0] === "year 10" && num(rows[1].replace(/^A: /, "")) === va &&
          num(rows[2].replace(/^B: /, "")) === vb && rows[3].startsWith("B - A: ") &&
          num(rows[3].slice(7)) === vb - va,
          "the readout at year 10: " + JSON.stringify([rows, va, vb]));
    // single run: its value, no difference; a mouse leaving takes it away
    await page.click(`#runs li[data-run="${base}"]`);
    await sleep(300);
    seen.single = await at(40);
    check(/^year 40\|[\d,.]+M?$/.test(seen.single), "a single run's readout: " + seen.single);
    await page.mouse.move(1, 1);
    seen.left = await page.$eval("#chart-sector", (cv) => cv.dataset.readout);
    check(seen.left === "", "the readout after the mouse left: " + seen.left);
  },

  // a new run's map is blank and says it waits; a failed run's map gives the error
  async waiting_failure(page) {
    await runAndWait(page, "baseline", 1);
    const before = await page.$eval("#map-0", (e) => e.toDataURL());
    await runAndWait(page, "baseline", 998, null);  // the test's wrapper waits 4 s to start
    await sleep(500);
    seen.waiting = await page.evaluate(() => ({
      cap: document.getElementById("cap-0").textContent,
      step: document.getElementById("map-0").dataset.step,
      img: document.getElementById("map-0").toDataURL() }));
    check(seen.waiting.cap === "waiting for the first step of #2 baseline seed 998" &&
          seen.waiting.step === undefined && seen.waiting.img !== before,
          "while the new run starts: " + JSON.stringify({ ...seen.waiting, img: undefined }));
    delete seen.waiting.img;
    await runAndWait(page, "baseline", 999, "failed");  // the wrapper fails seed 999
    await sleep(300);
    seen.failed = await page.evaluate(() => ({
      cap: document.getElementById("cap-0").textContent,
      step: document.getElementById("map-0").dataset.step }));
    check(/^#3 baseline seed 999: failed: clustersim: error: the test's wrapper/.test(
      seen.failed.cap) && seen.failed.step === undefined, "failed run: " +
      JSON.stringify(seen.failed));
  },

  // the server stopped under a running run: the page gives the server's reason (it read
  // "stopped", as if a pupil had pressed Stop), says at the list's next poll, without a Run,
  // that the server cannot be reached; and Run with the server gone says so
  async no_server(page) {
    const id = await runAndWait(page, "baseline", 996, null);  // about 25 s of stream
    await page.waitForFunction(() => +(document.getElementById("map-0").dataset.step || 0) > 0,
                               { timeout: 20000 });
    await page.evaluate(() => {
      const e = document.getElementById("status");
      window.statusSeen = [];
      new MutationObserver(() => window.statusSeen.push(e.textContent))
        .observe(e, { childList: true, characterData: true, subtree: true });
    });
    process.kill(+process.env.TEACH_SERVER_PID, "SIGTERM");
    // the status line's texts, as a pattern's source (passed into the page)
    const why = "stopped at year [\\d.]+ of 40: the classroom server was stopped";
    const noServer = "cannot reach the classroom server: is `make teach` still running?";
    const saw = (seen, why, noServer) => seen.includes(noServer) &&
      seen.some((t) => new RegExp(`^#1 baseline seed 996: ${why}$`).test(t));
    try {
      await page.waitForFunction(`(${saw})(window.statusSeen, ${JSON.stringify(why)}, ` +
                                 `${JSON.stringify(noServer)})`, { timeout: 15000, polling: 100 });
    } catch (e) { /* said below */ }
    seen.statusSeen = await page.evaluate(() => window.statusSeen);
    seen.stoppedItem = await page.$eval(`#runs li[data-run="${id}"]`, (e) => e.textContent);
    check(saw(seen.statusSeen, why, noServer), "the status line when the server stopped: " +
          JSON.stringify(seen.statusSeen));
    check(new RegExp(`\\[${why}\\]$`).test(seen.stoppedItem),
          "the run stopped by the server: " + seen.stoppedItem);
    await page.click("#run");
    await sleep(1000);
    seen.status = await status(page);
    check(seen.status === "cannot reach the classroom server: is `make teach` still running?",
          "status after Run with no server: " + seen.status);
  },

  // the seed: a box with - and +, kept when the preset changes
  async seed(page) {
    await page.click('#presets button[data-preset="baseline"]');
    await page.click("#seed-up");
    await page.click("#seed-up");
    await page.click('#presets button[data-preset="tech_city"]');
    // the levers' words: a share as a percentage ("Profit tax cut: 1 share"), a year lever
    // after how long ("Funding ends in year: 12 years")
    const leverLabels = () => page.$$eval("#levers label", (ls) => ls.map((l) => l.textContent
      .replace(/\s+/g, " ").trim()));
    seen.techLevers = await leverLabels();
    await page.click('#presets button[data-preset="investment_zones"]');
    seen.zoneLevers = await leverLabels();
    check(seen.techLevers.includes("Funding ends after: 12 years") &&
          seen.techLevers.includes("Subsidy per worker: 293 pounds/worker/quarter") &&
          seen.zoneLevers.includes("Profit tax cut: 100%") &&
          seen.zoneLevers.includes("Business rates relief: 75%") &&
          seen.zoneLevers.includes("Zones close after: 11 years"),
          "lever labels: " + JSON.stringify([seen.techLevers, seen.zoneLevers]));
    await page.click('#presets button[data-preset="baseline"]');
    seen.seed = await page.$eval("#seed", (e) => [e.type, e.value, e.min, e.max]);
    check(JSON.stringify(seen.seed) === '["number","3","1","1000"]', "seed box: " + seen.seed);
    await page.click("#run");
    await page.waitForFunction(() => document.querySelectorAll("#runs li").length === 1);
    seen.label = await page.$eval("#runs li", (e) => e.textContent);
    check(seen.label.startsWith("#1 baseline seed 3 "), "run label: " + seen.label);
  },

  // Play on a live run shown at its latest step keeps following it
  async play_follow(page) {
    await page.click('#presets button[data-preset="baseline"]');
    await setSeed(page, 997);  // the test's wrapper holds its stream back: still running below
    await page.click("#run");
    await page.waitForFunction(() => +(document.getElementById("map-0").dataset.step || 0) >= 12,
                               { timeout: 60000, polling: 20 });
    const at = +(await page.$eval("#map-0", (e) => e.dataset.step));
    await page.click("#play");
    await sleep(250);
    seen.after = +(await page.$eval("#map-0", (e) => e.dataset.step));
    seen.live = (await status(page));
    check(seen.live.includes("still running"), "no word on Play during the run: " + seen.live);
    check(seen.after >= at, `Play during the run went back from step ${at} to ${seen.after}`);
    await page.waitForFunction(() => / complete$/.test(document.getElementById("status")
      .textContent), { timeout: 120000 });
    await sleep(300);
    seen.end = await page.$eval("#map-0", (e) => e.dataset.step);
    check(seen.end === "160", "the map did not follow the run to its end: step " + seen.end);
  },

  // a change of Speed during Play takes effect at once
  async play_speed(page) {
    await runAndWait(page, "baseline", 1);
    await page.select("#speed", "2");
    await page.click("#play");  // from year 0, 2 frames a second
    await sleep(1500);
    const slow = +(await page.$eval("#map-0", (e) => e.dataset.step)) / 4;
    await page.select("#speed", "12");
    await sleep(1500);
    const fast = +(await page.$eval("#map-0", (e) => e.dataset.step)) / 4;
    seen.frames = { slow, fast };
    check(slow <= 4 && fast - slow >= 10, "frames played: " + JSON.stringify(seen.frames));
  },

  // two clicks on Run 80 ms apart start one run; runs of the same settings are numbered
  async double_run(page) {
    await page.click('#presets button[data-preset="baseline"]');
    // the test's wrapper holds seed 997's stream back, so the first run is still going at the
    // second click however fast the machine (a run done within the 80 ms made the second one
    // legitimate: a clean-clone CI run failed so)
    await setSeed(page, 997);
    await page.click("#run");
    await sleep(80);
    await page.click("#run");
    await sleep(2500);
    const runs = await (await fetch(url + "api/runs")).json();
    seen.runs = runs.runs.map((r) => r.label);
    check(seen.runs.length === 1, "runs started: " + JSON.stringify(seen.runs));
    await page.click("#run");
    await page.waitForFunction(() => document.querySelectorAll("#runs li").length === 2);
    seen.labels = await page.$$eval("#runs li", (ls) => ls.map((l) => l.textContent));
    check(seen.labels[0].startsWith("#1 baseline seed 997 ") &&
          seen.labels[1].startsWith("#2 baseline seed 997 "), "labels: " + seen.labels);
  },

  // a run another page starts (a group on its own laptop) joins this page's list without a
  // reload, with its status, and streams its maps once shown here
  async other_pages_runs(page) {
    const errors2 = [];
    const other = await openPage(errors2);
    await runAndWait(other, "baseline", 3);
    // back to this page: a page in the background runs no animation frames (nor the redraws
    // and the default polling of waitForFunction that use them); its timers, the list's poll
    // among them, go on
    await page.bringToFront();
    await page.waitForFunction(() => document.querySelectorAll("#runs li").length === 1 &&
                               document.querySelector("#runs li").textContent
                               .includes("[complete]"), { timeout: 15000, polling: 250 });
    seen.otherLabel = await page.$eval("#runs li", (e) => e.textContent);
    check(/^#1 baseline seed 3\b.*\[complete\]$/.test(seen.otherLabel),
          "the other page's run: " + seen.otherLabel);
    await page.click("#runs li");
    await page.waitForFunction(() => +(document.getElementById("map-0").dataset.step || 0) > 0,
                               { timeout: 20000 });
    seen.otherStep = await page.$eval("#map-0", (e) => e.dataset.step);
    // runs heard of out of order (this page's own at once, another page's at the next poll)
    // are listed in the session's order
    await other.bringToFront();  // a page in the background runs no animation frames
    await runAndWait(other, "baseline", 4, null);
    await page.bringToFront();
    await runAndWait(page, "baseline", 5, null);
    await page.waitForFunction(() => document.querySelectorAll("#runs li").length === 3,
                               { timeout: 15000, polling: 250 });
    seen.order = await page.$$eval("#runs li", (ls) => ls.map((l) => l.textContent.split(" ")[0]));
    check(seen.order.join() === "#1,#2,#3", "the run list's order: " + seen.order);
    check(errors2.length === 0, "the other page's errors: " + errors2.join("; "));
  },

  // a teacher going round seven groups' running runs: the browser has about six connections
  // to the server, and a page that kept streaming every run it showed had none left for its
  // own requests (the list's poll, Run) until runs ended. Only a few stream at once; a run
  // shown again streams again from its start.
  async many_streams(page) {
    const ids = [];
    for (let i = 0; i < 7; i++) {
      const r = await fetch(new URL("/api/run", url), {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ preset: "baseline", seed: 996, levers: {} }) });
      check(r.ok, `start ${i}: ${r.status}`);
      ids.push((await r.json()).id);
    }
    await page.waitForFunction((n) => document.querySelectorAll("#runs li").length >= n,
                               { timeout: 15000 }, ids.length);
    for (const id of ids) {
      await page.click(`#runs li[data-run="${id}"]`);
      await page.waitForFunction(() => +(document.getElementById("map-0").dataset.step || 0) > 0,
                                 { timeout: 20000 });
    }
    seen.streaming = await page.evaluate(() => [...state.runs.values()].filter((r) => r.es).length);
    seen.running = await page.evaluate(async () =>
      (await (await fetch("/api/runs")).json()).runs.filter((r) => r.status === "running").length);
    // the page's own request, while the runs go on
    seen.answer = await page.evaluate(() => Promise.race([
      fetch("/api/presets").then((r) => r.ok),
      new Promise((res) => setTimeout(() => res("no answer in 5 s"), 5000))]));
    check(seen.answer === true, "a request while seven runs were looked at: " + seen.answer);
    check(seen.running >= 6, "the runs ended too soon to test: " + seen.running);
    check(seen.streaming <= 3, "streams open: " + seen.streaming);
    // the first run, shown again, streams again from its start
    await page.click(`#runs li[data-run="${ids[0]}"]`);
    await page.waitForFunction((id) => state.runs.get(id).frames.length > 0 &&
                               +(document.getElementById("map-0").dataset.step || 0) > 0,
                               { timeout: 20000 }, ids[0]);
    seen.replayedFrom = await page.evaluate((id) => state.runs.get(id).frames[0].step, ids[0]);
    check(seen.replayedFrom <= 4, "the run shown again starts at step " + seen.replayedFrom);
  },

  // Compare pressed while a run goes: the maps follow it to its end (they stood still at the
  // step Compare was pressed), at steps both runs have reached
  async compare_live(page) {
    const b = await runAndWait(page, "baseline", 1);
    const a = await runAndWait(page, "baseline", 997, null);  // held back: still running
    await page.waitForFunction(() => +(document.getElementById("map-0").dataset.step || 0) >= 12,
                               { timeout: 60000, polling: 20 });
    await page.select("#cmp-a", a);
    await page.select("#cmp-b", b);
    await page.click("#compare");
    seen.pressedAt = +(await page.$eval("#map-0", (e) => e.dataset.step));
    await page.waitForFunction((a) => document.querySelector(`#runs li[data-run="${a}"]`)
                               .textContent.includes("[complete]"), { timeout: 120000 }, a);
    await sleep(300);
    seen.endA = await page.$eval("#map-0", (e) => e.dataset.step);
    check(seen.endA === "160", `compared from step ${seen.pressedAt}, the map stayed at ` +
          seen.endA);
  },

  // a reloaded page lists the session's runs and shows the latest, streaming only what it shows
  async reload(page) {
    const first = await runAndWait(page, "baseline", 1);
    const last = await runAndWait(page, "baseline", 2);
    await page.reload({ waitUntil: "networkidle0" });
    await page.waitForFunction(() => +(document.getElementById("map-0").dataset.step || 0) ===
                               160, { timeout: 20000 });
    seen.reloaded = await page.evaluate(() => ({
      listed: document.querySelectorAll("#runs li").length, shown: state.a,
      streamed: [...state.runs.values()].filter((r) => r.following).length }));
    check(seen.reloaded.listed === 2 && seen.reloaded.shown === last &&
          seen.reloaded.streamed === 1, "after a reload: " + JSON.stringify(seen.reloaded));
    // the server (--keep-maps 1 here) keeps the maps of the run that finished last only: the
    // first, shown, says its maps are gone and draws its charts
    await page.click(`#runs li[data-run="${first}"]`);
    try {
      await page.waitForFunction(() => /no longer keeps its maps/.test(
        document.getElementById("cap-0").textContent), { timeout: 20000 });
    } catch (e) { /* said below */ }
    seen.dropped = await page.evaluate(() => ({
      cap: document.getElementById("cap-0").textContent,
      points: +document.getElementById("chart-employment").dataset.points }));
    check(seen.dropped.cap === "#1 baseline seed 1: the server no longer keeps its maps (only " +
          "those of the run that finished last); its charts are kept" &&
          seen.dropped.points === 161, "a run whose maps went: " + JSON.stringify(seen.dropped));
  },

  // on a phone the page fits the screen's width: no page zoomed out to a desktop's 980 px
  async phone(page) {
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
    await page.reload({ waitUntil: "networkidle0" });
    await runAndWait(page, "baseline", 1);
    seen.phone = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth, inner: window.innerWidth,
      side: document.getElementById("side").getBoundingClientRect().width,
      map: document.getElementById("map-0").getBoundingClientRect().width,
      run: document.getElementById("run").getBoundingClientRect().right }));
    const p = seen.phone;
    check(p.inner === 390 && p.page <= 390 && p.side <= 390 && p.map <= 390 && p.map > 200 &&
          p.run <= 390, "phone layout: " + JSON.stringify(p));
  },

  // the session's runs can be shown with the keyboard
  async keyboard(page) {
    // Run by keyboard keeps the focus on Run (the button, disabled for a second, lost it)
    await page.click('#presets button[data-preset="baseline"]');
    await page.focus("#run");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => !document.getElementById("run").disabled);
    await sleep(100);
    seen.focusAfterRun = await page.evaluate(() => document.activeElement.id);
    check(seen.focusAfterRun === "run", "focus after Run: " + seen.focusAfterRun);
    await page.waitForFunction(() => document.querySelector("#runs li") &&
                               document.querySelector("#runs li").textContent.includes("[complete]"),
                               { timeout: 60000 });
    const first = await runAndWait(page, "baseline", 1);
    await runAndWait(page, "baseline", 2);
    await page.focus("#run");
    // the list is one Tab stop, at the run shown (the latest): a class's thirty runs were
    // thirty Tab presses
    const ids = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      const id = await page.evaluate(() => document.activeElement.dataset.run || null);
      if (ids.length && !id) break;
      if (id) ids.push(id);
    }
    seen.tabbed = ids;
    const shownBefore = await page.$eval("#runs li.shown", (e) => e.dataset.run);
    check(ids.length === 1 && ids[0] === shownBefore,
          `Tab stops in the run list: ${ids.length} (${ids}), shown ${shownBefore}`);
    // back into the list, then the arrow keys to the first run, Enter shows it
    await page.keyboard.down("Shift");
    await page.keyboard.press("Tab");
    await page.keyboard.up("Shift");
    const focusedRun = () => page.evaluate(() => document.activeElement.dataset.run || null);
    const listed = await page.$$eval("#runs li", (ls) => ls.map((l) => l.dataset.run));
    await page.keyboard.press("ArrowUp");
    seen.arrowed = await focusedRun();
    check(seen.arrowed === first, `ArrowUp reached ${seen.arrowed}, not the run before`);
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowUp");
    seen.top = await focusedRun();
    check(seen.top === listed[0], `ArrowUp stopped at ${seen.top}, not the top`);
    await page.keyboard.press("End");
    seen.ended = await focusedRun();
    check(seen.ended === shownBefore, "End did not reach the last run");
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    seen.shown = await page.$eval("#runs li.shown", (e) => e.dataset.run);
    check(seen.shown === first, "Enter did not show the run");
    seen.tabStops = await page.$$eval("#runs li", (ls) => ls.filter((l) => l.tabIndex === 0)
                                      .map((l) => l.dataset.run));
    check(seen.tabStops.length === 1 && seen.tabStops[0] === first,
          "the list's Tab stop after Enter: " + seen.tabStops);
  },

  // past the server's limit (--max-runs 1 here) a run waits in a queue: the page says so, the
  // list says how many are ahead, the map waits; it starts, and completes, once the run going
  // ends (here: stopped from the page)
  async queue(page) {
    const first = await runAndWait(page, "baseline", 996, null);  // about 25 s of stream
    await page.waitForFunction(() => !document.getElementById("run").disabled);
    const second = await runAndWait(page, "baseline", 2, null);
    seen.queuedStatus = await status(page);
    check(/^queued: #2 baseline seed 2 starts when a run going ends \(next to start\)$/
          .test(seen.queuedStatus), "status: " + seen.queuedStatus);
    seen.queuedItem = await page.$eval(`#runs li[data-run="${second}"]`, (e) => e.textContent);
    check(seen.queuedItem.endsWith("[queued, next to start]"), "list: " + seen.queuedItem);
    seen.queuedCaption = await page.$eval("#cap-0", (e) => e.textContent);
    check(/is queued: it starts when a run going ends/.test(seen.queuedCaption),
          "caption: " + seen.queuedCaption);
    check(!(await page.$eval("#stop", (e) => e.hidden)), "no Stop for the queued run");
    // a third, queued too, stopped from the page: it ends at once, before the stop's answer,
    // and the status line ("stopping #3 ..." was written over its end for good) and its map
    // ("stopped: stopped from the page that started it, before it started") say so
    const third = await runAndWait(page, "baseline", 3, null);
    await page.waitForFunction(() => !document.getElementById("stop").hidden);
    await page.click("#stop");
    await page.waitForFunction((id) => document.querySelector(`#runs li[data-run="${id}"]`)
                               .textContent.includes("[stopped"), { timeout: 20000 }, third);
    await sleep(500);
    seen.queuedStop = await page.evaluate((id) => ({
      status: document.getElementById("status").textContent,
      cap: document.getElementById("cap-0").textContent,
      item: document.querySelector(`#runs li[data-run="${id}"]`).textContent }), third);
    check(seen.queuedStop.status === "#3 baseline seed 3: stopped before it started" &&
          seen.queuedStop.cap === seen.queuedStop.status &&
          seen.queuedStop.item.endsWith("[stopped before it started]"),
          "a queued run stopped: " + JSON.stringify(seen.queuedStop));
    await page.click(`#runs li[data-run="${first}"]`);
    await page.waitForFunction(() => !document.getElementById("stop").hidden);
    await page.click("#stop");
    await page.waitForFunction((id) => document.querySelector(`#runs li[data-run="${id}"]`)
                               .textContent.includes("[complete]"), { timeout: 60000 }, second);
    seen.firstAfter = await page.$eval(`#runs li[data-run="${first}"]`, (e) => e.textContent);
    check(/\[stopped at year [\d.]+ of 40\]$/.test(seen.firstAfter),
          "the first run: " + seen.firstAfter);
  },

  // Stop ends a run this page started (not another page's), and a restarted server's page
  // drops the runs of the session that went with it
  async stop_and_restart(page) {
    const done = await runAndWait(page, "baseline", 1);
    check(await page.$eval("#stop", (e) => e.hidden), "Stop shown for a finished run");
    // another page (opened first: a page loads until its streams are idle)
    const errors2 = [];
    const other = await openPage(errors2);
    await page.bringToFront();
    const id = await runAndWait(page, "baseline", 996, null);  // about 25 s of stream
    await page.waitForFunction(() => +(document.getElementById("map-0").dataset.step || 0) > 0,
                               { timeout: 20000 });
    check(!(await page.$eval("#stop", (e) => e.hidden)), "no Stop for the page's own run");
    // the other page sees the run, without Stop
    await other.bringToFront();
    await other.waitForFunction((id) => document.querySelector(`#runs li[data-run="${id}"]`),
                                { timeout: 15000, polling: 250 }, id);
    await other.click(`#runs li[data-run="${id}"]`);
    await sleep(300);
    seen.otherStop = await other.$eval("#stop", (e) => e.hidden);
    check(seen.otherStop, "another page may stop the run");
    await other.close();
    await page.bringToFront();
    await page.click("#stop");
    await page.waitForFunction((id) => document.querySelector(`#runs li[data-run="${id}"]`)
                               .textContent.includes("[stopped"), { timeout: 20000 }, id);
    seen.stoppedAt = +(await page.$eval("#map-0", (e) => e.dataset.step));
    check(seen.stoppedAt > 0 && seen.stoppedAt < 160, "stopped at step " + seen.stoppedAt);
    // the list says how far it got: the year of its last frame, the one the map shows
    seen.stoppedItem = await page.$eval(`#runs li[data-run="${id}"]`, (e) => e.textContent);
    check(seen.stoppedItem.endsWith(`[stopped at year ${seen.stoppedAt / 4} of 40]`),
          "the stopped run's entry: " + seen.stoppedItem + ", map at step " + seen.stoppedAt);
    check(await page.$eval("#stop", (e) => e.hidden), "Stop still shown after the stop");
    seen.running = await page.evaluate(async () =>
      (await (await fetch("/api/runs")).json()).running);
    check(seen.running === 0, "runs still going after Stop: " + seen.running);
    // what describes the map shown (its time, notes, legend, hover text) goes with the runs
    const mb = await (await page.$("#map-0")).boundingBox();
    await page.mouse.move(mb.x + mb.width * 0.785, mb.y + mb.height * 0.815);
    seen.hoverBefore = await page.$eval("#hover", (e) => e.textContent);
    check(/^cell /.test(seen.hoverBefore), "no hover text before the restart: " +
          seen.hoverBefore);
    // a server restarted under the page (here: the list's answer comes from another, new
    // session) lists none of the old runs at the next poll
    await page.evaluate(() => {
      const real = window.fetch;
      window.fetch = (u, o) => String(u).endsWith("/api/runs") ?
        Promise.resolve(new Response(JSON.stringify({ runs: [], running: 0, session: "new" }))) :
        real(u, o);
    });
    await page.waitForFunction(() => document.querySelectorAll("#runs li").length === 0 &&
                               /restarted/.test(document.getElementById("status").textContent),
                               { timeout: 15000, polling: 250 });
    check(!(await page.evaluate((d) => state.runs.has(d), done)), "an old run is still kept");
    seen.afterRestart = await page.evaluate(() => {
      const lg = document.getElementById("legend");
      const ink = lg.getContext("2d").getImageData(0, 0, lg.width, lg.height).data
        .some((v, i) => i % 4 === 3 && v > 0);
      const text = (id) => document.getElementById(id).textContent;
      return { time: text("time-label"), note: text("layer-note"), key: text("map-key"),
               hover: text("hover"), cap: text("cap-0"), legendInk: ink,
               map: document.getElementById("map-0").dataset.step };
    });
    const ar = seen.afterRestart;
    check(ar.time === "" && ar.note === "" && ar.key === "" && ar.cap === "" && !ar.legendInk &&
          ar.map === undefined && ar.hover === "Hover over the map to read a cell's numbers, " +
          "or over a chart to read its values in a year.",
          "the old map's words after the restart: " + JSON.stringify(ar));
    check(errors2.length === 0, "the other page's errors: " + errors2.join("; "));
  },

  // the places a preset's notes name are labelled; policy areas outlined; hover names places;
  // the rent layer says what its top colour is; the region and sector charts have points
  async places_and_charts(page) {
    await runAndWait(page, "cambridge_link", 1);
    seen.labels = await page.$eval("#map-0", (e) => e.dataset.labels.split(","));
    check(seen.labels.includes("Cambridge") && seen.labels.includes("Norwich") &&
          seen.labels.includes("London"), "labels: " + seen.labels);
    seen.areas = await page.$eval("#map-0", (e) => e.dataset.areas);
    check(seen.areas === "1", "no link drawn");
    const box = await (await page.$("#map-0")).boundingBox();
    await page.mouse.move(box.x + (80.5 / 100) * box.width, box.y + (118.5 / 160) * box.height);
    seen.hover = await page.$eval("#hover", (e) => e.textContent);
    check(/^cell \(80, 118\) \(Cambridge, East of England\)/.test(seen.hover),
          "hover: " + seen.hover);
    // in words, with units and the year (it read "step 160: ... rent 1004.000")
    check(new RegExp("\\), year 40: employment [\\d,]+ workers \\(digital [\\d,.]+\\), " +
                     "rent [\\d,.]+ pounds per job-space per quarter, cluster: ").test(seen.hover) &&
          !/\d\.\d{3}/.test(seen.hover), "hover's words: " + seen.hover);
    // what a screen reader names: the file picker, the time slider (with the year), the map
    // and the legend (images, named by what they show), a lever with its unit
    seen.named = await page.evaluate(() => {
      const el = (id) => document.getElementById(id);
      const name = (e) => e.getAttribute("aria-label") ||
        [...(e.labels || [])].map((l) => l.textContent).join(" ");
      const lever = document.querySelector('#levers input[data-key="policies.[0].build_steps"]');
      return { file: name(el("file")), time: name(el("time")),
               timeText: el("time").getAttribute("aria-valuetext"),
               map: name(el("map-0")), mapRole: el("map-0").getAttribute("role"),
               legend: name(el("legend")), legendRole: el("legend").getAttribute("role"),
               lever: lever.getAttribute("aria-valuetext") };
    });
    const nm = seen.named;
    check(/run file/.test(nm.file) && /year/.test(nm.time) && nm.timeText === "year 40 of 40" &&
          nm.mapRole === "img" && nm.map === "map: employment, workers per cell (full scale), " +
          "#1 cambridge_link seed 1, year 40" && nm.legendRole === "img" &&
          /^colour scale: employment, workers per cell \(full scale\), from [\d.]+k? to /
            .test(nm.legend) && nm.lever === "5 years", "names: " + JSON.stringify(nm));
    await runAndWait(page, "long_term_funding", 1);
    seen.region = await page.$eval("#region", (e) => e.value);
    seen.regionPoints = await page.$eval("#chart-region", (e) => +e.dataset.points);
    seen.sectorPoints = await page.$eval("#chart-sector", (e) => +e.dataset.points);
    seen.clusterPoints = await page.$eval("#chart-clusters", (e) => +e.dataset.points);
    check(seen.region === "North East" && seen.regionPoints === 41 && seen.sectorPoints === 41 &&
          seen.clusterPoints > 160, "charts: " + JSON.stringify(seen));
    seen.outlined = await page.$eval("#layer-note", (e) => e.textContent);
    check(/Dashed outline: where the policy acts \(steady\)/.test(seen.outlined),
          "no outline note: " + seen.outlined);
    // most of the map is grey at the page's scale: the note says why
    check(/Grey land has no simulated jobs: one agent stands for 1,000 people/.test(seen.outlined),
          "no word on the grey land: " + seen.outlined);
    await page.click('#presets button[data-preset="tech_city"]');
    // the Region menu leaves the funding preset's North East for the menu's first region
    seen.tcRegion = await page.$eval("#region", (e) => [e.value, e.options[0].value]);
    check(seen.tcRegion[0] === seen.tcRegion[1] && seen.tcRegion[0] !== "North East",
          "region after choosing tech_city: " + seen.tcRegion);
    await runAndWait(page, "tech_city", 1);
    seen.tcLabels = await page.$eval("#map-0", (e) => e.dataset.labels.split(","));
    check(seen.tcLabels.includes("London"), "London not labelled");
    // London's mark and name were drawn over tech_city's circle, hiding the cells the class is
    // told to look at: inside the circle (5 px of its centre) no pixel is the labels' black
    // or white
    seen.inCircle = await page.evaluate(() => {
      const a = state.presets.find((p) => p.name === "tech_city").areas
        .find((x) => x.kind === "circle");
      const cv = document.getElementById("map-0"), cx = (a.x + 0.5) * 4, cy = (a.y + 0.5) * 4;
      const d = cv.getContext("2d").getImageData(Math.floor(cx) - 6, Math.floor(cy) - 6, 13, 13)
        .data;
      let inked = 0, seen = 0;
      for (let j = 0; j < 13; j++)
        for (let i = 0; i < 13; i++) {
          const px = Math.floor(cx) - 6 + i + 0.5, py = Math.floor(cy) - 6 + j + 0.5;
          if (Math.hypot(px - cx, py - cy) > 5) continue;
          const k = 4 * (j * 13 + i), rgb = [d[k], d[k + 1], d[k + 2]];
          seen++;
          if (rgb.every((v) => v === 0) || rgb.every((v) => v === 255)) inked++;
        }
      return { inked, seen };
    });
    check(seen.inCircle.seen > 60 && seen.inCircle.inked === 0,
          "labels drawn over tech_city's circle: " + JSON.stringify(seen.inCircle));
    await page.select("#layer", "rent");
    seen.rentNote = await page.$eval("#layer-note", (e) => e.textContent);
    check(/99th percentile of the cells with jobs/.test(seen.rentNote), "rent: " + seen.rentNote);
    check(!/Grey land/.test(seen.rentNote), "the grey-land note on the rent map: " + seen.rentNote);
  },
  // at projector sizes the cell readout is in view while pointing at the map (it was the
  // #hover line under the charts: y ~1318 at 1280x800, with the map at y 137-724), beside the
  // pointer without covering it, with that cell's numbers; the colour legend is in view with the
  // map; a tap shows a cell's numbers too
  async layout(page) {
    await runAndWait(page, "emergence", 1);
    // land cells with jobs: one in the middle of the map and the lowest-rightmost one (the box
    // must turn to the pointer's left and above it there to stay in the window)
    const cells = await page.evaluate(() => {
      const a = state.runs.get(state.a), f = a.frames[state.idx];
      const emp = fullMap(a, f, "employment"), W = a.start.W, H = a.start.H;
      const land = [];
      for (let c = 0; c < emp.length; c++)
        if (emp[c] > 0) land.push({ x: c % W, y: Math.floor(c / W), emp: amount(emp[c]) });
      const mid = land.reduce((b, p) => Math.hypot(p.x - W / 2, p.y - H / 2) <
                              Math.hypot(b.x - W / 2, b.y - H / 2) ? p : b);
      const corner = land.reduce((b, p) => p.x + p.y > b.x + b.y ? p : b);
      return { W, H, list: [mid, corner] };
    });
    const readAt = async (cell, how = "mouse") => {
      const box = await (await page.$("#map-0")).boundingBox();
      const px = box.x + ((cell.x + 0.5) / cells.W) * box.width;
      const py = box.y + ((cell.y + 0.5) / cells.H) * box.height;
      if (how === "tap") await page.touchscreen.tap(px, py);
      else await page.mouse.move(px, py);
      await sleep(100);
      return page.evaluate((px, py) => {
        // the page's own readout line where it has no box by the pointer
        const e = document.getElementById("cell-tip") || document.getElementById("hover");
        const r = e.getBoundingClientRect();
        return { text: e.textContent, hover: document.getElementById("hover").textContent,
                 shown: !e.hidden && r.width > 0 && getComputedStyle(e).visibility !== "hidden",
                 inView: r.left >= 0 && r.top >= 0 && r.right <= innerWidth &&
                   r.bottom <= innerHeight,
                 overPointer: px >= r.left && px <= r.right && py >= r.top && py <= r.bottom,
                 pointerInView: px >= 0 && py >= 0 && px < innerWidth && py < innerHeight };
      }, px, py);
    };
    const inView = (id) => page.evaluate((id) => {
      const r = document.getElementById(id).getBoundingClientRect();
      return r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth &&
        r.bottom <= innerHeight;
    }, id);
    for (const [w, h] of [[1280, 800], [1366, 768], [1024, 768]]) {
      await page.setViewport({ width: w, height: h });
      await page.evaluate(() => window.scrollTo(0, 0));
      await sleep(300);
      for (const cell of cells.list) {
        const key = `${w}x${h} (${cell.x}, ${cell.y})`;
        const r = seen[key] = await readAt(cell);
        check(r.pointerInView && r.shown && r.inView && !r.overPointer,
              `the cell readout at ${key}: ` + JSON.stringify(r));
        check(r.text.startsWith(`cell (${cell.x}, ${cell.y})`) &&
              r.text.includes(`employment ${cell.emp} workers`) && r.text === r.hover,
              `the readout at ${key} is not that cell's: ` + JSON.stringify([r, cell]));
      }
      await page.screenshot({ path: path.join(shots, `layout-${w}x${h}-hover.png`) });
      seen[`legend${w}`] = await inView("legend");
      check(seen[`legend${w}`], `the colour legend is out of view at ${w}x${h}`);
      // the mouse leaving the map takes the box away; the line under the page keeps the text
      await page.mouse.move(1, 1);
      seen[`left${w}`] = await page.evaluate(() => document.getElementById("cell-tip").hidden);
      check(seen[`left${w}`], `the readout stayed after the mouse left at ${w}x${h}`);
    }
    // a tap on a cell (a tablet at the front of the class) shows its numbers too
    await page.setViewport({ width: 1280, height: 800, hasTouch: true });
    await sleep(300);
    const cell = cells.list[0];
    seen.tap = await readAt(cell, "tap");
    check(seen.tap.shown && seen.tap.inView && seen.tap.text.startsWith(`cell (${cell.x}, ` +
          `${cell.y})`), "a tap's readout: " + JSON.stringify(seen.tap));
    // energy's EG index (about 0.9) flattened digital's rise (0.06-0.12): a click on energy in
    // the EG chart's legend hides its line and the axis rescales to the other sectors; a second
    // click shows it again
    const eg = () => page.evaluate(() => {
      const cv = document.getElementById("chart-eg");
      const e = document.querySelector('#eg-legend .item[data-label="energy"]');
      return { labels: cv.dataset.ylabels, lines: cv.dataset.lines,
               pressed: e.getAttribute("aria-pressed") };
    });
    const top = (x) => parseFloat(x.labels.split("|").pop());
    seen.egBefore = await eg();
    await page.click('#eg-legend .item[data-label="energy"]');
    await sleep(200);
    seen.egHidden = await eg();
    await page.screenshot({ path: path.join(shots, "layout-eg-energy-hidden.png") });
    await page.click('#eg-legend .item[data-label="energy"]');
    await sleep(200);
    seen.egShown = await eg();
    check(top(seen.egBefore) > 0.5 && seen.egBefore.lines.includes("energy:") &&
          top(seen.egHidden) < 0.3 && !seen.egHidden.lines.includes("energy:") &&
          seen.egHidden.lines.split("|").length === seen.egBefore.lines.split("|").length - 1 &&
          seen.egHidden.pressed === "false" && seen.egShown.pressed === "true" &&
          JSON.stringify(seen.egShown) === JSON.stringify(seen.egBefore),
          "hiding energy's EG line: " + JSON.stringify([seen.egBefore, seen.egHidden,
                                                         seen.egShown]));
  },
};

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  defaultViewport: { width: 1500, height: 1000 },
});
// a page of the classroom, loaded, that collects the page's errors
async function openPage(errors) {
  const page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: "networkidle0" });
  await page.waitForSelector("#presets button");
  return page;
}
if (only) {
  // one of the checks below, on a fresh server (tests/test_teach_browser.py: test_page_check)
  try {
    const errors = [];
    const page = await openPage(errors);
    await CHECKS[only](page);
    seen.errors = errors;
    check(errors.length === 0, "page errors: " + errors.join("; "));
    console.log(JSON.stringify(seen));
  } finally {
    await browser.close();
  }
  process.exit(0);
}
try {
  const errors = [];
  const page = await openPage(errors);
  seen.presets = await page.$$eval("#presets button", (bs) => bs.map((b) => b.textContent));
  check(seen.presets.includes("tech_city") && seen.presets.includes("baseline"),
        "preset list lacks tech_city or baseline");

  // a policy run: choose the preset, move its first slider, Run
  await page.click('#presets button[data-preset="tech_city"]');
  seen.question = await page.$eval("#p-question", (e) => e.textContent);
  check(seen.question.length > 20, "no question shown for tech_city");
  seen.lookFor = await page.$eval("#p-look", (e) => e.textContent);
  check(seen.lookFor.length > 20, "no 'what to look for' text");
  const slider = '#levers input[data-key="policies.[0].per_worker"]';
  const before = await page.$eval(slider, (e) => +e.value);
  await page.focus(slider);
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
  seen.subsidy = [before, await page.$eval(slider, (e) => +e.value)];
  check(seen.subsidy[1] > seen.subsidy[0], "the subsidy slider did not move");
  // it stops at round amounts (steps of 0.1x the preset's 293 pounds read 380.9), read out
  // with its unit
  seen.subsidyShown = await page.$eval(slider, (e) => ({
    val: e.parentElement.querySelector(".val").textContent,
    text: e.getAttribute("aria-valuetext"), step: JSON.parse(e.dataset.lever).step }));
  const sub = seen.subsidyShown;
  check(/^\d+$/.test(sub.val) && +sub.val % sub.step === 0 && +sub.val > 293 &&
        sub.text === `${sub.val} pounds/worker/quarter`, "subsidy slider: " + JSON.stringify(sub));
  await page.screenshot({ path: path.join(shots, "teaching-preset.png") });

  await page.click("#run");
  await page.waitForFunction(() => document.getElementById("status").textContent
    .startsWith("running"), { timeout: 60000 });
  seen.runningStatus = await status(page);
  check(seen.runningStatus.endsWith(`(subsidy per worker ${sub.val})`),
        "the run's label: " + seen.runningStatus);
  // watch the map while the run goes: count distinct images and the charts' points
  const images = new Set();
  let points0 = null, changes = 0, last = null, running = true;
  const t0 = Date.now();
  while (running && Date.now() - t0 < 120000) {
    const s = await page.evaluate(() => ({
      img: document.getElementById("map-0").toDataURL(),
      step: document.getElementById("map-0").dataset.step,
      points: +(document.getElementById("chart-employment").dataset.points || 0),
      status: document.getElementById("status").textContent,
    }));
    if (s.step !== undefined && s.img !== last) {
      if (last !== null) changes++;
      last = s.img;
      images.add(s.step);
      if (points0 === null) points0 = s.points;
    }
    running = s.status.startsWith("running");
    seen.lastPoints = s.points;
    seen.status = s.status;
    await sleep(40);
  }
  seen.firstRunSeconds = (Date.now() - t0) / 1000;
  seen.mapChanges = changes;
  seen.stepsSeen = [...images];
  seen.points0 = points0;
  check(changes >= 3, `the map changed ${changes} times while the run went (need 3)`);
  check(seen.status.includes("complete"), "the run did not complete: " + seen.status);
  check(seen.lastPoints > points0, "the charts gained no points");
  // what the policy cost: tech_city pays from year 2 to 12, so its spending so far rises and
  // then stays, and it equals the run's own series added up
  seen.spending = await page.evaluate(() => {
    const run = state.runs.get(state.a), s = run.series;
    let total = 0;
    for (const x of s) total += x.spending;
    const cv = document.getElementById("chart-spending");
    return { points: +cv.dataset.points, title: cv.dataset.title, last: s[s.length - 1].spent,
             total, atYear1: s.find((x) => x.year >= 1).spent };
  });
  check(seen.spending.points > 0 && /public spending so far/.test(seen.spending.title) &&
        seen.spending.last > 0 && seen.spending.atYear1 === 0 &&
        Math.abs(seen.spending.last - seen.spending.total) <= 1e-6 * seen.spending.total,
        "spending chart: " + JSON.stringify(seen.spending));

  // the EG chart names every sector in its legend, each fully inside the chart's box
  seen.sectors = await page.$$eval("#sector option", (os) => os.map((o) => o.textContent));
  seen.egLegend = await page.evaluate((names) => {
    const box = document.getElementById("chart-eg").parentElement.getBoundingClientRect();
    return names.map((n) => {
      const e = [...document.querySelectorAll("#eg-legend .item")]
        .find((x) => x.dataset.label === n && x.textContent.includes(n));
      if (!e) return { n, shown: false };
      const r = e.getBoundingClientRect();
      return { n, shown: r.width > 0 && r.height > 0 && r.left >= box.left - 1 &&
               r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1 };
    });
  }, seen.sectors);
  check(seen.sectors.length === 7 && seen.egLegend.every((x) => x.shown),
        "the EG chart's legend does not show every sector: " + JSON.stringify(seen.egLegend));

  // hover London's cell and read its numbers
  const box = await (await page.$("#map-0")).boundingBox();
  const W = 100, H = 160;
  await page.mouse.move(box.x + (78.5 / W) * box.width, box.y + (130.5 / H) * box.height);
  seen.hover = await page.$eval("#hover", (e) => e.textContent);
  check(/cell \(78, 130\).*employment \d/.test(seen.hover), "hover shows no numbers: " + seen.hover);
  // the place once: the city, or the city and its region when they differ
  check(/\((near )?London\)/.test(seen.hover) && !seen.hover.includes("London, London"),
        "hover names London twice or not at all: " + seen.hover);
  await page.screenshot({ path: path.join(shots, "teaching-live.png") });

  // the baseline at the same seed, then compare the two
  await page.click('#presets button[data-preset="baseline"]');
  await page.click("#run");
  await page.waitForFunction(() => document.getElementById("status").textContent
    .includes("baseline seed 1: complete"), { timeout: 120000 });
  const ids = await page.$$eval("#runs li", (ls) => ls.map((l) => l.dataset.run));
  check(ids.length === 2, "the session does not list two runs");
  await page.select("#cmp-a", ids[1]);
  await page.select("#cmp-b", ids[0]);
  await page.select("#layer", "sector");
  await page.click("#compare");
  seen.compareCaption = await page.$eval("#cap-2", (e) => e.textContent);
  check(!/runs at scale/.test(await page.$eval("#layer-note", (e) => e.textContent)),
        "a scale note for two runs of one scale");
  check(await page.$eval("body", (b) => b.classList.contains("comparing")), "no compare view");
  check(seen.compareCaption.startsWith("B - A"), "no difference map caption");
  seen.egLines = await page.$eval("#chart-eg", (e) => +e.dataset.points);
  const box2 = await (await page.$("#map-0")).boundingBox(); // smaller when comparing
  await page.mouse.move(1, 1);
  await page.mouse.move(box2.x + (78.5 / W) * box2.width, box2.y + (130.5 / H) * box2.height);
  seen.compareHover = await page.$eval("#hover", (e) => e.textContent);
  check(/A: employment .*\nB: employment /.test(seen.compareHover), "compare hover: " +
        seen.compareHover);
  await page.screenshot({ path: path.join(shots, "teaching-compare.png") });
  // both captions give the step shown
  seen.captions = await page.$$eval("figcaption", (cs) => cs.slice(0, 2).map((c) => c.textContent));
  check(seen.captions.every((c) => /\(step \d+\)$/.test(c)),
        "captions A and B do not both give the step: " + JSON.stringify(seen.captions));

  // the cluster layer: tradable sectors only, said in the key; the difference map's "in both"
  // is a colour of its own, unlike any sector's and unlike "none"
  await page.select("#layer", "clusters");
  seen.clusterKey = await page.evaluate(() => {
    const key = document.getElementById("map-key");
    const items = [...key.querySelectorAll(".item")];
    const rgb = (e) => getComputedStyle(e.querySelector("i")).backgroundColor
      .match(/\d+/g).slice(0, 3).map(Number);
    return {
      visible: key.getBoundingClientRect().height > 0,
      sectors: items.filter((e) => e.dataset.sector).map((e) => e.dataset.sector),
      colours: Object.fromEntries(items.map((e) => [e.dataset.sector || e.dataset.kind, rgb(e)])),
      text: key.textContent,
    };
  });
  const ck = seen.clusterKey;
  check(ck.visible && ck.sectors.length === 6 && !ck.sectors.includes("local_services") &&
        /Not shown: local_services/.test(ck.text) && /tradable/.test(ck.text),
        "the cluster key does not say it shows tradable sectors only: " + JSON.stringify(ck));
  const dist = (p, q) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
  const both = ck.colours.both;
  check(both && ["none", "onlyA", "onlyB"].every((k) => dist(both, ck.colours[k]) > 80) &&
        dist(both, [140, 140, 140]) > 80, "'in both' is not a colour of its own: " +
        JSON.stringify(ck.colours));
  // no cell of either map in local_services' grey; the difference map paints "in both"
  seen.clusterPixels = await page.evaluate(([both, countSrc]) => {
    const count = eval("(" + countSrc + ")"); // countCells, above
    return { grey: count("map-0", [140, 140, 140]) + count("map-1", [140, 140, 140]),
             both: count("map-2", both) };
  }, [both, countCells.toString()]);
  check(seen.clusterPixels.grey === 0 && seen.clusterPixels.both > 0,
        "cluster maps: " + JSON.stringify(seen.clusterPixels));

  // projector sizes: at 1280x800 the three maps and the map controls fit in the window, and
  // so does the Run button with a preset's levers; at 1920x1080 the charts too
  const inView = (ids) => page.evaluate((ids) => ids.map((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return { id, ok: r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth &&
             r.bottom <= innerHeight };
  }), ids);
  const mapsAndControls = ["map-0", "map-1", "map-2", "layer", "time", "play", "cmp-a"];
  await page.setViewport({ width: 1280, height: 800 });
  await sleep(300);
  seen.fit1280 = await inView(mapsAndControls);
  await page.screenshot({ path: path.join(shots, "teaching-1280-compare.png") });
  check(seen.fit1280.every((x) => x.ok), "off screen at 1280x800: " +
        JSON.stringify(seen.fit1280.filter((x) => !x.ok)));
  // at a projector's 1280 px every chart's title is drawn whole (two were cut off at the
  // canvas's edge) and every map's caption fits its two lines
  seen.cut1280 = await page.evaluate(() => [
    ...[...document.querySelectorAll("#charts canvas")]
      .filter((c) => c.dataset.title && c.dataset.title !== c.getAttribute("aria-label"))
      .map((c) => c.id + ": " + c.dataset.title),
    ...[...document.querySelectorAll("#maps figcaption")]
      .filter((f) => f.offsetParent && f.scrollHeight > f.clientHeight + 1)
      .map((f) => f.id + ": " + f.textContent)]);
  check(seen.cut1280.length === 0, "cut off at 1280x800: " + JSON.stringify(seen.cut1280));
  // the preset box scrolls at this size: its "What to look for" (the instructions) starts in
  // view without scrolling it (it came after a long description, 600 px down a 240 px box)
  seen.lookInView = await page.evaluate(() => {
    const box = document.getElementById("about"), look = document.getElementById("p-look");
    return look.getBoundingClientRect().top - box.getBoundingClientRect().top + 40 <
      box.clientHeight;
  });
  check(seen.lookInView, "'What to look for' is below the preset box's fold at 1280x800");
  await page.setViewport({ width: 1920, height: 1080 });
  await sleep(300);
  seen.fit1920 = await inView(mapsAndControls.concat(["chart-employment", "chart-eg"]));
  await page.screenshot({ path: path.join(shots, "teaching-1920-compare.png") });
  check(seen.fit1920.every((x) => x.ok), "off screen at 1920x1080: " +
        JSON.stringify(seen.fit1920.filter((x) => !x.ok)));
  await page.select("#layer", "sector");
  await page.click('#presets button[data-preset="tech_city"]');
  for (const [w, h] of [[1280, 800], [1400, 900]]) {
    await page.setViewport({ width: w, height: h });
    await page.click(`#runs li[data-run="${ids[0]}"]`);  // one run shown, with its charts
    await sleep(300);
    seen[`single${w}`] = await inView(["run", "map-0", "time", "layer"]);
    await page.screenshot({ path: path.join(shots, `teaching-${w}-single.png`) });
    check(seen[`single${w}`].every((x) => x.ok), `off screen at ${w}x${h}: ` +
          JSON.stringify(seen[`single${w}`].filter((x) => !x.ok)));
  }
  await page.setViewport({ width: 1500, height: 1000 });

  // open an existing run file with the file picker
  const input = await page.$("#file");
  await input.uploadFile(runfile);
  // the server reads the posted file; say what the page showed if it never opens
  try {
    // "opened open_me.h5", soon replaced by its stream's "#3 long_term_funding seed 1
    // (open_me.h5): complete"
    await page.waitForFunction(() => /^opened open_me\.h5|^#3 long_term_funding seed 1 \(open_me\.h5\): complete/.test(
      document.getElementById("status").textContent), { timeout: 90000 });
  } catch (e) {
    const status = await page.$eval("#status", (el) => el.textContent);
    const n = await page.$$eval("#runs li", (ls) => ls.length);
    throw new Error(`the opened file never showed: status "${status}", ${n} runs listed`);
  }
  check((await page.$$eval("#runs li", (ls) => ls.length)) === 3,
        "the session does not list the opened file as a third run");
  // the opened file's frames arrive over its event stream; the map shows them when they have
  // numbered as the third run of the session
  await page.waitForFunction(() => document.getElementById("cap-0").textContent ===
                             "#3 long_term_funding seed 1 (open_me.h5)",
                             { timeout: 60000 });
  seen.openedStep = await page.$eval("#map-0", (e) => e.dataset.step);
  // the opened file (long_term_funding, a snapshot every 4 steps) gets what a live run of the
  // preset gets: its policy's region outlined, named under the map, shown on the regional chart
  try {
    await page.waitForFunction(() => document.getElementById("chart-region").dataset.points ===
                               "3", { timeout: 30000 });
  } catch (e) { /* said by the checks below */ }
  seen.opened = await page.evaluate(() => ({
    areas: document.getElementById("map-0").dataset.areas,
    note: document.getElementById("layer-note").textContent,
    region: document.getElementById("region").value,
    regionPoints: document.getElementById("chart-region").dataset.points,
    regionLines: document.getElementById("chart-region").dataset.lines,
  }));
  check(seen.opened.areas === "1" &&
        /Dashed outline: where the policy acts \(steady\)/.test(seen.opened.note),
        "the opened file's policy area is not outlined: " + JSON.stringify(seen.opened));
  check(seen.opened.region === "North East" && seen.opened.regionPoints === "3" &&
        seen.opened.regionLines === ":#24414f",
        "the opened file has no regional chart: " + JSON.stringify(seen.opened));
  // compared with a preset's run, both draw their region line, A solid and B red
  const opened = await page.$$eval("#runs li", (ls) => ls[ls.length - 1].dataset.run);
  await page.select("#cmp-a", opened);
  await page.select("#cmp-b", ids[0]);
  await page.click("#compare");
  await sleep(500);
  seen.regionLines = await page.$eval("#chart-region", (e) => e.dataset.lines);
  check(seen.regionLines === "A:#24414f|B:#d62728", "region chart lines: " + seen.regionLines);
  // the opened file is at scale 0.0005, the live run at the server's 0.003: said under the maps
  seen.scaleNote = await page.$eval("#layer-note", (e) => e.textContent);
  check(/A runs at scale 0\.0005 and B at 0\.003: .*Compare runs of one scale\./.test(
    seen.scaleNote), "no note that A and B differ in scale: " + seen.scaleNote);
  // the grey land's note gives both scales (it gave A's alone)
  check(/Grey land has no simulated jobs: one agent stands for 2,000 people in A and 333 in B,/
    .test(seen.scaleNote), "the grey-land note of two scales: " + seen.scaleNote);
  // a run without a regions line (a file written before /landscape/region) draws no region
  // line, and the other run keeps its own colour and letter there (B, red)
  seen.noRegionLines = await page.evaluate((id) => {
    delete state.runs.get(id).regions;
    redraw();
    return document.getElementById("chart-region").dataset.lines;
  }, opened);
  check(seen.noRegionLines === "B:#d62728", "region chart lines, A without regions: " +
        seen.noRegionLines);
  seen.errors = errors;
  check(errors.length === 0, "page errors: " + errors.join("; "));
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
