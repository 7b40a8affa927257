"""Write test/ml/forest-vectors.json: scikit-learn's trees on the bootstrap samples Dusk's
randomForest draws, for test/ml/cart.test.ts. The data is not stored: the test makes it again
with Dusk's RandomState, bit-exact to numpy's.

Data: rs = np.random.RandomState(seed); X = rs.normal(size=(n, p));
y = X1 + sqrt(|X2 X3|) + X2 - X3 + rs.normal(size=n); X is then rounded to float32 (scikit-learn's
trees split float32 values: rounded, the data is the same to both); class labels from y: -1 (y < -0.5),
2 (y < 1), 7 (otherwise).
Tree t of a forest of seed s: seed_t = SeedSequence(s).spawn(T)[t].generate_state(1)[0]; its
bootstrap rows are RandomState(seed_t).randint(0, n, n) (scikit-learn's
_generate_sample_indices(seed_t, n, n)), given to DecisionTreeRegressor / DecisionTreeClassifier
(max_features=None, i.e. all features: then the tree does not depend on the order features are
drawn in) as sample_weight = the rows' counts, as RandomForestRegressor does. The forest's
prediction is the mean of its trees' (predict_proba for classes).

Run from the repository root with Debian's python3-sklearn: /usr/bin/python3 test/ml/make-forest-vectors.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from unit_data import unit_data  # beside this script (its folder is on sys.path)

HERE = os.path.dirname(os.path.abspath(__file__))


def labels(y):
    return np.where(y < -0.5, -1.0, np.where(y < 1.0, 2.0, 7.0))


def tree_seeds(seed, count):
    return [int(c.generate_state(1)[0]) for c in np.random.SeedSequence(seed).spawn(count)]


CASES = [
    # name, kind, forest options (Dusk's names), scikit-learn tree options
    ['regression, full depth', 'regression', {'nEstimators': 5, 'seed': 5, 'maxFeatures': 1}, {}],
    ['regression, maxDepth 4, minSamplesLeaf 3', 'regression', {'nEstimators': 5, 'seed': 9, 'maxFeatures': 1, 'maxDepth': 4, 'minSamplesLeaf': 3}, {'max_depth': 4, 'min_samples_leaf': 3}],
    ['regression, no bootstrap, minSamplesSplit 10', 'regression', {'nEstimators': 1, 'seed': 1, 'maxFeatures': 1, 'bootstrap': False, 'minSamplesSplit': 10}, {'min_samples_split': 10}],
    ['classification, minSamplesLeaf 8', 'classification', {'nEstimators': 5, 'seed': 5, 'maxFeatures': 1, 'minSamplesLeaf': 8}, {'min_samples_leaf': 8}],
    ['classification, maxDepth 3', 'classification', {'nEstimators': 4, 'seed': 2, 'maxFeatures': 1, 'maxDepth': 3}, {'max_depth': 3}],
]


def main():
    n, p = 300, 6
    X, y = unit_data(1, n, p)
    X = X.astype(np.float32).astype(np.float64)
    fresh, _ = unit_data(4, 50, p)
    fresh = fresh.astype(np.float32).astype(np.float64)
    out = {'sklearn': sklearn.__version__, 'train': {'seed': 1, 'n': n, 'p': p}, 'fresh': {'seed': 4, 'n': 50, 'p': p}, 'cases': []}
    for name, kind, options, tree_options in CASES:
        target = y if kind == 'regression' else labels(y)
        seeds = tree_seeds(options['seed'], options['nEstimators'])
        trees, node_counts = [], []
        for s in seeds:
            if options.get('bootstrap', True):
                rows = np.random.RandomState(s).randint(0, n, n)
                weight = np.bincount(rows, minlength=n).astype(float)
            else:
                weight = np.ones(n)
            cls = DecisionTreeRegressor if kind == 'regression' else DecisionTreeClassifier
            tree = cls(max_features=None, random_state=0, **tree_options).fit(X, target, sample_weight=weight)
            node_counts.append(int(tree.tree_.node_count))
            trees.append(tree.predict(fresh) if kind == 'regression' else tree.predict_proba(fresh))
        case = {'name': name, 'kind': kind, 'options': options, 'nodeCounts': node_counts}
        mean = np.mean(trees, axis=0)
        if kind == 'regression':
            case['predictions'] = mean.tolist()
        else:
            case['classes'] = np.unique(target).tolist()
            case['probabilities'] = mean.T.tolist()  # one list per class
        out['cases'].append(case)
    with open(os.path.join(HERE, 'forest-vectors.json'), 'w') as f:
        json.dump(out, f)


main()
