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

const [url, shots, runfile] = process.argv.slice(2);
const seen = {};
function check(cond, msg) {
  if (!cond) {
    console.error("FAILED: " + msg + "\n" + JSON.stringify(seen));
    process.exit(1);
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  defaultViewport: { width: 1500, height: 1000 },
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: "networkidle0" });
  await page.waitForSelector("#presets button");
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
  await page.screenshot({ path: path.join(shots, "teaching-preset.png") });

  await page.click("#run");
  await page.waitForFunction(() => document.getElementById("status").textContent
    .startsWith("running"), { timeout: 60000 });
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
  seen.clusterPixels = await page.evaluate((both) => {
    // cells (4x4 pixel blocks) wholly of colour c: city labels' edges blend into stray pixels
    const count = (id, c) => {
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
    };
    return { grey: count("map-0", [140, 140, 140]) + count("map-1", [140, 140, 140]),
             both: count("map-2", both) };
  }, both);
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
    // "opened open_me.h5", soon replaced by its stream's "open_me.h5: complete"
    await page.waitForFunction(() => /^opened open_me\.h5|^open_me\.h5: complete/.test(
      document.getElementById("status").textContent), { timeout: 90000 });
  } catch (e) {
    const status = await page.$eval("#status", (el) => el.textContent);
    const n = await page.$$eval("#runs li", (ls) => ls.length);
    throw new Error(`the opened file never showed: status "${status}", ${n} runs listed`);
  }
  check((await page.$$eval("#runs li", (ls) => ls.length)) === 3,
        "the session does not list the opened file as a third run");
  // the opened file's frames arrive over its event stream; the map shows them when they have
  await page.waitForFunction(() => document.getElementById("cap-0").textContent === "open_me.h5",
                             { timeout: 60000 });
  seen.openedStep = await page.$eval("#map-0", (e) => e.dataset.step);
  seen.errors = errors;
  check(errors.length === 0, "page errors: " + errors.join("; "));
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
}
