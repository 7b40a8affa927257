// Not a vitest file: run by hand, see bench/README.md (Sort and top-k).
// A/B of nlargest / sort().head() between two builds, Dusk only, CPU seconds and wall, alternating.
const [oldDist, newDist, files] = process.argv.slice(2);
const builds = { old: await import(oldDist), new: await import(newDist) };
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const results = { old: { nl: [], sh: [] }, new: { nl: [], sh: [] } };
for (let round = 0; round < 4; round++) {
  for (const name of round % 2 ? ['new', 'old'] : ['old', 'new']) {
    const ddf = builds[name];
    const air = ddf.readCsv(files, { encoding: 'latin1' });
    for (const [q, run] of [['nl', () => air.nlargest(10, 'DepDelay').toArrow()], ['sh', () => air.sort(['Origin', 'DepDelay'], { descending: [false, true] }).head(10)]]) {
      const t = performance.now(); const c = cpu();
      const out = await run().compute({ numWorkers: 2 });
      if (round > 0) results[name][q].push([(performance.now() - t) / 1000, cpu() - c, out.numRows]);
    }
  }
}
for (const b of ['old', 'new']) for (const q of ['nl', 'sh']) {
  const r = results[b][q]; const best = (i) => Math.min(...r.map((x) => x[i]));
  console.log(`${b} ${q === 'nl' ? "nlargest(10, 'DepDelay')" : 'sort(Origin, DepDelay desc).head(10)'}: best wall ${best(0).toFixed(2)} s, best main-process CPU ${best(1).toFixed(2)} s, rows ${r[0][2]}`);
}
for (const b of Object.values(builds)) await b.shutdown();
