/**
 * Course unit, scenario 5A: nested parallelization — 10 CV folds × several methods. The unit
 * shows flattening the loops by hand (idx → fold, method) so that a map can run them, and then
 * making the delayed tasks inside the nested loops. ddf.ml.crossValidate makes those
 * folds × methods tasks itself (one graph, flattened, dynamic allocation) and
 * ddf.ml.superLearner (scenario 5) goes one step further: it weighs the methods by their CV
 * predictions and refits each on all rows, in the same graph (its result carries crossValidate's).
 * Data: the unit's, bit for bit.
 *
 *   npm run build && npx tsx examples/scenario-5a-nested.ts [--workers 2] [--trees 100]
 */
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';
import { makeCvData } from './tasks/cv.js';

/** The methods compared: a baseline, two linear fits and the unit's random forest (full depth, all features per split). */
export function methods(trees: number, maxFeatures = 1): ddf.ml.MethodSpec[] {
  return [ddf.ml.mean(), ddf.ml.ols(), ddf.ml.ridge(10), ddf.ml.randomForest({ nEstimators: trees, maxFeatures, seed: 1 })];
}

/**
 * superLearner of the methods on the unit's data and folds: its `cv` is crossValidate's result
 * (the folds × methods tasks), computed in the same graph as the weights' refits.
 */
export async function runNested(options: { numWorkers: number; trees: number; maxFeatures?: number }) {
  const data = makeCvData(1);
  const t0 = performance.now();
  const sl = await ddf.ml.superLearner(methods(options.trees, options.maxFeatures), { X: data.X, y: data.y }, { folds: data.folds, scheduler: 'threads', numWorkers: options.numWorkers });
  const seconds = (performance.now() - t0) / 1000;
  const report = ddf.lastComputeReport()!;
  return { data, cv: sl.cv, sl, seconds, tasks: report.workerTasks, workers: report.workers };
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--workers');
  const numWorkers = at >= 0 ? Number(process.argv[at + 1]) : 2;
  const atTrees = process.argv.indexOf('--trees');
  const trees = atTrees >= 0 ? Number(process.argv[atTrees + 1]) : 100;
  const nFolds = 10, M = methods(trees).length;

  console.log('## the unit\'s revised code: flatten the loops (what a map needs)');
  for (let idx = 0; idx < nFolds * M; idx++) {
    if (idx < 6 || idx === nFolds * M - 1) console.log(idx, Math.floor(idx / M), idx % M);
    else if (idx === 6) console.log('…');
  }
  console.log(`\n## ddf.ml.superLearner: crossValidate's ${nFolds} × ${M} (fold, method) tasks and ${M} refits on all rows, one graph`);
  const { cv, sl, seconds, tasks, workers } = await runNested({ numWorkers, trees });
  const names = cv.methods.map((m) => m.name);
  console.log(`MSE by fold (rows) and method (columns):`);
  console.log(`fold  ${names.map((m) => m.padStart(14)).join('')}`);
  for (let f = 0; f < nFolds; f++) console.log(`${String(cv.methods[0]!.perFold[f]!.fold).padStart(4)}  ${cv.methods.map((m) => m.perFold[f]!.mse.toFixed(3).padStart(14)).join('')}`);
  console.log(`CV    ${cv.methods.map((m) => m.metrics.mse.toFixed(3).padStart(14)).join('')}`);
  const cvMse = cv.methods.map((m) => m.metrics.mse);
  console.log(`best method by CV MSE: ${names[cvMse.indexOf(Math.min(...cvMse))]}; ${tasks} fits (CV and refits) on ${workers} worker threads in ${seconds.toFixed(2)} s (including starting them)`);

  console.log('\nNNLS weights on the CV predictions (each method refit on all rows with its weight):');
  for (const m of sl.methods) console.log(`  ${m.name.padEnd(14)} CV MSE ${m.cvRisk.toFixed(3)}  weight ${m.weight.toFixed(3)}`);
  console.log(`  ensemble       CV MSE ${sl.cvRisk.toFixed(3)} (weights fitted on the same CV predictions: slightly optimistic)`);
  await ddf.shutdown();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
