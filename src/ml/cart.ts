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

/** Every feature's row indices sorted by value (ties by row): computed once, used by every tree of a fit. */
export function presortFeatures(X: readonly Float64Array[]): Int32Array[] {
  return X.map((column) => {
    const order = new Int32Array(column.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    // Sorting the rows of a Float64Array copy of values paired with indices is slower in V8 than a
    // comparator on the index array; NaN is refused before this.
    order.sort((a, b) => column[a]! - column[b]! || a - b);
    return order;
  });
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
        value[node * nOutputs + c] = total[c]!; // normalized below
      }
      for (let c = 0; c < nOutputs; c++) value[node * nOutputs + c] = total[c]! / wTotal;
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
      let wLeft = 0, sumLeft = 0, sqLeft = 0, sqRight = 0;
      if (classification) {
        countLeft.fill(0);
        for (let c = 0; c < nOutputs; c++) sqRight += total[c]! * total[c]!;
      }
      for (let r = start; r < end - 1; r++) {
        const i = list[r]!, w = weights[i]!;
        wLeft += w;
        if (classification) {
          const c = codes[i]!, before = countLeft[c]!, rightBefore = total[c]! - before;
          countLeft[c] = before + w;
          sqLeft += (before + w) * (before + w) - before * before;
          sqRight += (rightBefore - w) * (rightBefore - w) - rightBefore * rightBefore;
        } else sumLeft += w * y[i]!;
        const x = xs[i]!, xNext = xs[list[r + 1]!]!;
        if (xNext <= x + FEATURE_THRESHOLD) continue;
        const nLeft = r + 1 - start;
        if (nLeft < minLeaf || nNode - nLeft < minLeaf) continue;
        const wRight = wTotal - wLeft;
        let proxy: number;
        if (classification) proxy = sqLeft / wLeft + sqRight / wRight;
        else {
          const sumRight = sumTotal - sumLeft;
          proxy = (sumLeft * sumLeft) / wLeft + (sumRight * sumRight) / wRight;
        }
        if (proxy > bestProxy) {
          bestProxy = proxy;
          bestFeature = f;
          bestPos = r + 1;
          let t = x / 2 + xNext / 2;
          if (t === xNext || !Number.isFinite(t)) t = x;
          bestThreshold = t;
        }
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
