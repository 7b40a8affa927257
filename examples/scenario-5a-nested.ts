/**
 * Course unit, scenario 5A: nested parallelization — 10 CV folds × several methods. The unit
 * shows flattening the loops by hand (idx → fold, method), then the better way: create the
 * delayed tasks inside the nested loops and compute them all at once. Dusk computes the
 * nested array of lazy tasks as one graph and returns results in the same nested shape.
 *
 *   npm run build && npx tsx examples/scenario-5a-nested.ts [--workers 2]
 */
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';
import { type FoldResult, fitMethod, makeCvData, type Method } from './tasks/cv.js';

async function main(): Promise<void> {
  const at = process.argv.indexOf('--workers');
  const nWorkers = at >= 0 ? Number(process.argv[at + 1]) : 2;
  const nFolds = 10;
  const methods: Method[] = ['mean', 'ols', 'rf'];
  const M = methods.length;

  console.log('## revised code: flatten the loops (what a map needs)');
  for (let idx = 0; idx < nFolds * M; idx++) {
    const fold = Math.floor(idx / M);
    const method = idx % M;
    if (idx < 6 || idx === nFolds * M - 1) console.log(idx, fold, method);
    else if (idx === 6) console.log('…');
  }

  const data = makeCvData(1);
  const t0 = performance.now();
  // The data goes to each worker once when the graph runs (the unit's x = dask.delayed(x)).
  const [X, y, folds] = [ddf.shared(data.X), ddf.shared(data.y), ddf.shared(data.folds)];
  // ## no flattening: lazy tasks made inside the nested loops
  const fit = ddf.delayed(fitMethod);
  const tasks: ddf.Delayed<FoldResult>[][] = [];
  for (let fold = 0; fold < nFolds; fold++) {
    const row: ddf.Delayed<FoldResult>[] = [];
    for (const method of methods) row.push(fit(fold, method, X, y, folds, data.p));
    tasks.push(row);
  }
  console.log(`\n${nFolds} × ${M} = ${nFolds * M} lazy tasks in a nested array; nothing has run yet`);
  const [results] = await ddf.compute(tasks, { scheduler: 'threads', numWorkers: nWorkers }); // one graph; results in the same nested shape
  const seconds = (performance.now() - t0) / 1000;

  console.log(`\nMSE by fold (rows) and method (columns), each fit on the worker thread shown:`);
  console.log(`fold  ${methods.map((m) => m.padStart(14)).join('')}`);
  for (const row of results) {
    console.log(`${String(row[0]!.fold).padStart(4)}  ${row.map((r) => `${r.mse.toFixed(3)} (t${r.threadId})`.padStart(14)).join('')}`);
  }
  const cv = methods.map((_, m) => results.reduce((s, row) => s + row[m]!.mse * row[m]!.testIdx.length, 0) / data.n);
  console.log(`CV    ${cv.map((v) => v.toFixed(3).padStart(14)).join('')}`);
  const best = methods[cv.indexOf(Math.min(...cv))];
  const report = ddf.lastComputeReport()!;
  console.log(`\nbest method by CV MSE: ${best}; ${report.workerTasks} fits on ${report.workers} worker threads in ${seconds.toFixed(2)} s (including starting them)`);
  await ddf.shutdown();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
