// The baseline of bench/tasks.ts: a bare piscina worker running the same tiny task as Dusk
// (x => x + 1), one task per pool.run() call, or a batch of them per call.
export default (x) => (Array.isArray(x) ? x.map((v) => v + 1) : x + 1);
