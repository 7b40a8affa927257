/**
 * CART decision trees on Float64Array columns, with scikit-learn's semantics (its BestSplitter
 * and depth-first builder): MSE splits for regression, Gini for classification; max_features
 * drawn per split (more are drawn while every one drawn is constant in the node); splits only
 * between distinct values (gap > 1e-7), threshold halfway (a/2 + b/2), x <= threshold goes left;
 * min_samples_split, min_samples_leaf (in distinct rows) and max_depth; a node whose impurity is
 * ≤ DBL_EPSILON is a leaf. Rows carry weights (a bootstrap's counts), as scikit-learn's forests
 * pass them.
 *
 * Speed: every feature's rows are sorted once per fit (presortFeatures, shared by all trees of a
 * task); a node is a range of each feature's sorted row list, a split partitions every list
 * stably in O(rows), and a feature's best split is one sweep with running sums. A node of m rows
 * costs O(p · m), no allocation.
 */
import { DuskError } from '../core/errors.js';

/** scikit-learn's FEATURE_THRESHOLD: values closer than this are not split apart. */
const FEATURE_THRESHOLD = 1e-7;
/** DBL_EPSILON: a node with impurity ≤ this is pure. */
const EPSILON = 2.220446049250313e-16;

/** A fitted tree: flat arrays, node 0 the root; feature −1 marks a leaf. Plain data (crosses workers). */
export interface CartTree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Regression: the leaf's weighted mean of y, one per node. Classification: the class proportions, nOutputs per node. */
  value: Float64Array;
  /** 1 for regression, the number of classes for classification. */
  nOutputs: number;
}

export interface TreeSettings {
  /** Deepest node's depth (root 0); Infinity for none. */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features drawn per split (1 … p). */
  maxFeatures: number;
}

/** Every feature's row indices sorted by value: computed once, used by every tree of a fit. */
export function presortFeatures(X: readonly Float64Array[]): Int32Array[] {
  return X.map((column) => argsort(column));
}

/**
 * The row indices of `values` in increasing order of value (NaN is refused before this): a
 * quicksort (median of three, insertion sort below 17 rows) on a copy of the keys, several
 * times faster in V8 than Int32Array.prototype.sort with a comparator. The order of equal values is deterministic
 * (and irrelevant to the trees: equal values are never split apart).
 */
export function argsort(values: Float64Array): Int32Array {
  const n = values.length, keys = Float64Array.from(values), order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const stack: number[] = [0, n - 1];
  while (stack.length > 0) {
    let hi = stack.pop()!, lo = stack.pop()!;
    while (hi - lo > 16) {
      // Median of three as the pivot.
      const mid = (lo + hi) >>> 1;
      const a = keys[lo]!, b = keys[mid]!, c = keys[hi]!;
      const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
      let i = lo, j = hi;
      while (i <= j) {
        while (keys[i]! < pivot) i++;
        while (keys[j]! > pivot) j--;
        if (i <= j) {
          const k = keys[i]!, o = order[i]!;
          keys[i] = keys[j]!;
          order[i] = order[j]!;
          keys[j] = k;
          order[j] = o;
          i++;
          j--;
        }
      }
      // Recurse into the smaller side later (bounded stack), loop on the other.
      if (j - lo < hi - i) {
        stack.push(i, hi);
        hi = j;
      } else {
        stack.push(lo, j);
        lo = i;
      }
    }
    for (let i = lo + 1; i <= hi; i++) {
      const k = keys[i]!, o = order[i]!;
      let j = i - 1;
      while (j >= lo && keys[j]! > k) {
        keys[j + 1] = keys[j]!;
        order[j + 1] = order[j]!;
        j--;
      }
      keys[j + 1] = k;
      order[j + 1] = o;
    }
  }
  return order;
}

/** The target as the tree learner sees it: regression values, or class codes 0 … nClasses − 1. */
export type CartTarget = { kind: 'regression'; y: Float64Array } | { kind: 'classification'; codes: Int32Array; nClasses: number };

/** A source of uniform integers in [low, high) (the tree's feature draws). */
export type DrawInteger = (low: number, high: number) => number;

/**
 * Grows one tree on the rows with weight > 0 (weights: one per row, e.g. bootstrap counts;
 * scikit-learn's sample_weight). `sorted` is presortFeatures(X).
 */
export function growTree(X: readonly Float64Array[], sorted: readonly Int32Array[], target: CartTarget, weights: Float64Array, settings: TreeSettings, draw: DrawInteger): CartTree {
  const p = X.length, nRows = weights.length;
  let m = 0;
  for (let i = 0; i < nRows; i++) if (weights[i]! > 0) m++;
  if (m === 0) throw new DuskError('tree: no rows with weight > 0 to grow a tree on');
  // Each feature's in-sample rows in value order: the root's range [0, m) of every list.
  const lists = sorted.map((order) => {
    const list = new Int32Array(m);
    let k = 0;
    for (let r = 0; r < order.length; r++) {
      const i = order[r]!;
      if (weights[i]! > 0) list[k++] = i;
    }
    return list;
  });
  const classification = target.kind === 'classification';
  const nOutputs = classification ? target.nClasses : 1;
  const y = classification ? new Float64Array(0) : target.y;
  const codes = classification ? target.codes : new Int32Array(0);

  const capacity = 2 * m; // a binary tree with ≤ m leaves has < 2m nodes
  const feature = new Int32Array(capacity).fill(-1), threshold = new Float64Array(capacity);
  const left = new Int32Array(capacity).fill(-1), right = new Int32Array(capacity).fill(-1);
  const value = new Float64Array(capacity * nOutputs);
  let nNodes = 0;

  const goesLeft = new Uint8Array(nRows);
  const buffer = new Int32Array(m);
  const features = Int32Array.from({ length: p }, (_, j) => j);
  // Class counts: the node's total, the left side's during a sweep (classification only).
  const total = new Float64Array(nOutputs), countLeft = new Float64Array(nOutputs);

  // Depth-first, as scikit-learn's builder: (start, end, depth, parent, isLeft).
  const stack: number[] = [0, m, 0, -1, 0];
  while (stack.length > 0) {
    const isLeftChild = stack.pop()!, parent = stack.pop()!, depth = stack.pop()!, end = stack.pop()!, start = stack.pop()!;
    const node = nNodes++;
    if (parent >= 0) {
      if (isLeftChild) left[parent] = node;
      else right[parent] = node;
    }
    const nNode = end - start;
    const rows = lists[0]!;
    // Node statistics.
    let wTotal = 0, sumTotal = 0, impurity: number;
    if (classification) {
      total.fill(0);
      for (let r = start; r < end; r++) {
        const i = rows[r]!, w = weights[i]!;
        total[codes[i]!] += w;
        wTotal += w;
      }
      let sq = 0;
      for (let c = 0; c < nOutputs; c++) {
        sq += total[c]! * total[c]!;
        value[node * nOutputs + c] = total[c]! / wTotal;
      }
      impurity = 1 - sq / (wTotal * wTotal);
    } else {
      let sqSum = 0;
      for (let r = start; r < end; r++) {
        const i = rows[r]!, w = weights[i]!, v = y[i]!;
        wTotal += w;
        sumTotal += w * v;
        sqSum += w * v * v;
      }
      value[node] = sumTotal / wTotal;
      impurity = sqSum / wTotal - (sumTotal / wTotal) ** 2;
    }
    if (depth >= settings.maxDepth || nNode < settings.minSamplesSplit || nNode < 2 * settings.minSamplesLeaf || impurity <= EPSILON) continue;

    // The best split: features drawn at random, until maxFeatures are visited and one is not constant.
    let bestProxy = -Infinity, bestFeature = -1, bestPos = -1, bestThreshold = 0;
    let remaining = p, visited = 0, nonConstant = 0;
    const minLeaf = settings.minSamplesLeaf;
    while (remaining > 0 && (visited < settings.maxFeatures || nonConstant === 0)) {
      visited++;
      const k = draw(0, remaining);
      const f = features[k]!;
      features[k] = features[remaining - 1]!;
      features[remaining - 1] = f;
      remaining--;
      const list = lists[f]!, xs = X[f]!;
      if (xs[list[end - 1]!]! <= xs[list[start]!]! + FEATURE_THRESHOLD) continue; // constant here
      nonConstant++;
      const found = classification
        ? sweepGini(list, xs, codes, weights, total, countLeft, start, end, wTotal, minLeaf, bestProxy)
        : sweepMse(list, xs, y, weights, start, end, wTotal, sumTotal, minLeaf, bestProxy);
      if (found !== null) {
        bestProxy = found.proxy;
        bestFeature = f;
        bestPos = found.position;
        bestThreshold = found.threshold;
      }
    }
    if (bestFeature < 0) continue; // no valid split: a leaf

    feature[node] = bestFeature;
    threshold[node] = bestThreshold;
    // Partition every feature's list of the node stably: rows of the left side first.
    const splitList = lists[bestFeature]!;
    for (let r = start; r < end; r++) goesLeft[splitList[r]!] = r < bestPos ? 1 : 0;
    for (let j = 0; j < p; j++) {
      if (j === bestFeature) continue;
      const list = lists[j]!;
      let a = start, b = 0;
      for (let r = start; r < end; r++) {
        const i = list[r]!;
        if (goesLeft[i] === 1) list[a++] = i;
        else buffer[b++] = i;
      }
      list.set(buffer.subarray(0, b), a);
    }
    // Right pushed first: the left child is grown (and numbered) first, as scikit-learn does.
    stack.push(bestPos, end, depth + 1, node, 0);
    stack.push(start, bestPos, depth + 1, node, 1);
  }
  return {
    feature: feature.slice(0, nNodes),
    threshold: threshold.slice(0, nNodes),
    left: left.slice(0, nNodes),
    right: right.slice(0, nNodes),
    value: value.slice(0, nNodes * nOutputs),
    nOutputs,
  };
}

/** The leaf each row of X falls in. */
export function applyTree(tree: CartTree, X: readonly Float64Array[], n: number): Int32Array {
  const leaves = new Int32Array(n);
  const { feature, threshold, left, right } = tree;
  for (let i = 0; i < n; i++) {
    let node = 0;
    for (let f = feature[0]!; f >= 0; f = feature[node]!) node = X[f]![i]! <= threshold[node]! ? left[node]! : right[node]!;
    leaves[i] = node;
  }
  return leaves;
}

/** The best split of one feature's sorted rows [start, end) better than `bestProxy`, or null. */
interface Split {
  proxy: number;
  /** First row (in the list) of the right side. */
  position: number;
  threshold: number;
}

/** Halfway between two neighbouring values, as scikit-learn: a/2 + b/2, or a when that rounds to b. */
function halfway(x: number, xNext: number): number {
  const t = x / 2 + xNext / 2;
  return t === xNext || !Number.isFinite(t) ? x : t;
}

/** MSE: maximise sumL²/wL + sumR²/wR (scikit-learn's proxy_impurity_improvement), one running sum. */
function sweepMse(list: Int32Array, xs: Float64Array, y: Float64Array, weights: Float64Array, start: number, end: number, wTotal: number, sumTotal: number, minLeaf: number, bestProxy: number): Split | null {
  let wLeft = 0, sumLeft = 0, best: Split | null = null;
  const nNode = end - start;
  let x = xs[list[start]!]!;
  for (let r = start; r < end - 1; r++) {
    const i = list[r]!, w = weights[i]!;
    wLeft += w;
    sumLeft += w * y[i]!;
    const xNext = xs[list[r + 1]!]!;
    if (xNext <= x + FEATURE_THRESHOLD) {
      x = xNext;
      continue;
    }
    const nLeft = r + 1 - start;
    if (nLeft >= minLeaf && nNode - nLeft >= minLeaf) {
      const sumRight = sumTotal - sumLeft;
      const proxy = (sumLeft * sumLeft) / wLeft + (sumRight * sumRight) / (wTotal - wLeft);
      if (proxy > bestProxy) {
        bestProxy = proxy;
        best = { proxy, position: r + 1, threshold: halfway(x, xNext) };
      }
    }
    x = xNext;
  }
  return best;
}

/** Gini: maximise Σ cL²/wL + Σ cR²/wR (the same argmax as scikit-learn's proxy), sums of squares kept running. */
function sweepGini(list: Int32Array, xs: Float64Array, codes: Int32Array, weights: Float64Array, total: Float64Array, countLeft: Float64Array, start: number, end: number, wTotal: number, minLeaf: number, bestProxy: number): Split | null {
  countLeft.fill(0);
  let sqLeft = 0, sqRight = 0, wLeft = 0, best: Split | null = null;
  for (let c = 0; c < total.length; c++) sqRight += total[c]! * total[c]!;
  const nNode = end - start;
  let x = xs[list[start]!]!;
  for (let r = start; r < end - 1; r++) {
    const i = list[r]!, w = weights[i]!, c = codes[i]!;
    const before = countLeft[c]!, rightBefore = total[c]! - before;
    countLeft[c] = before + w;
    wLeft += w;
    sqLeft += (before + w) * (before + w) - before * before;
    sqRight += (rightBefore - w) * (rightBefore - w) - rightBefore * rightBefore;
    const xNext = xs[list[r + 1]!]!;
    if (xNext <= x + FEATURE_THRESHOLD) {
      x = xNext;
      continue;
    }
    const nLeft = r + 1 - start;
    if (nLeft >= minLeaf && nNode - nLeft >= minLeaf) {
      const proxy = sqLeft / wLeft + sqRight / (wTotal - wLeft);
      if (proxy > bestProxy) {
        bestProxy = proxy;
        best = { proxy, position: r + 1, threshold: halfway(x, xNext) };
      }
    }
    x = xNext;
  }
  return best;
}
