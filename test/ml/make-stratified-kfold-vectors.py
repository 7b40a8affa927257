"""Write test/ml/stratified-kfold-vectors.json: the fold of every row under scikit-learn's
StratifiedKFold(k, shuffle, random_state).split(X, y), for test/ml/stratified-folds.test.ts.

Needs scikit-learn: on Debian `apt-get install python3-sklearn`, then run with Debian's
interpreter from the repository root: /usr/bin/python3 test/ml/make-stratified-kfold-vectors.py
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.model_selection import StratifiedKFold

HERE = os.path.dirname(os.path.abspath(__file__))


def labels():
    rs = np.random.RandomState(5)
    return {
        "binary-100": [int(v) for v in rs.randint(0, 2, size=100)],
        "three-unbalanced-57": [int(v) for v in rs.choice([7, -1, 3], size=57, p=[0.6, 0.3, 0.1])],
        "five-1000": [int(v) for v in rs.randint(0, 5, size=1000)],
        "small-class-12": [0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 2, 0],
    }


CASES = [
    # labels, k, shuffle, random_state
    ["binary-100", 5, True, 0],
    ["binary-100", 3, False, None],
    ["three-unbalanced-57", 4, True, 42],
    ["three-unbalanced-57", 5, False, None],
    ["five-1000", 10, True, 1],
    ["five-1000", 10, True, 2**32 - 1],
    ["small-class-12", 3, True, 7],
]


def folds_of(y, k, shuffle, seed):
    y = np.asarray(y)
    fold = np.full(len(y), -1, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the least populated class has fewer than k members
        for f, (_, test) in enumerate(StratifiedKFold(k, shuffle=shuffle, random_state=seed).split(np.zeros((len(y), 1)), y)):
            fold[test] = f
    assert (fold >= 0).all()
    return [int(v) for v in fold]


def main():
    ys = labels()
    out = {
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "labels": ys,
        "cases": [{"labels": name, "k": k, "shuffle": s, "seed": r, "folds": folds_of(ys[name], k, s, r)} for name, k, s, r in CASES],
    }
    with open(os.path.join(HERE, "stratified-kfold-vectors.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
