// Takes docs/dashboard.png: runs `npm run demo -- --dashboard` (build first) and photographs the
// dashboard during its first compute, with Debian's chromium (playwright-core, no download).
//   node scripts/screenshot-dashboard.mjs [out.png]
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

const out = process.argv[2] ?? 'docs/dashboard.png';
const demo = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts', '--dashboard'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DUSK_DEMO_WAIT_MS: '4000' } });
let text = '';
const url = await new Promise((resolve, reject) => {
  demo.stdout.on('data', (d) => {
    process.stdout.write(d);
    text += d;
    const m = /Dashboard: (http:\/\/\S+)/.exec(text);
    if (m) resolve(m[1]);
  });
  demo.once('exit', (code) => reject(new Error(`the demo ended (${code}) before printing the dashboard's URL`)));
});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
await page.goto(url);
await page.waitForSelector('#status.on');
// Mid-way through the first compute: some tasks done, others running.
const total = async () => Number(await page.locator('#stream').getAttribute('data-tasks'));
for (let i = 0; i < 600 && (await total()) < Number(process.env.SHOT_AFTER_TASKS ?? 3); i++) await new Promise((r) => setTimeout(r, 100));
await new Promise((r) => setTimeout(r, Number(process.env.SHOT_DELAY_MS ?? 1500)));
await page.screenshot({ path: out, fullPage: true });
console.log(`wrote ${out}`);
await browser.close();
await new Promise((r) => demo.once('exit', r));
