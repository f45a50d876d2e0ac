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
