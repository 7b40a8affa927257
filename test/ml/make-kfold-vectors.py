"""Write test/ml/kfold-vectors.json: the fold of every row under scikit-learn's
KFold(k, shuffle, random_state).split, for test/ml/folds.test.ts.

Needs scikit-learn: on Debian `apt-get install python3-sklearn`, then run with Debian's
interpreter from the repository root: /usr/bin/python3 test/ml/make-kfold-vectors.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.model_selection import KFold

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [
    # n, k, shuffle, random_state
    [7, 3, True, 0],
    [10, 2, True, 1],
    [103, 5, True, 2**32 - 1],
    [1000, 10, True, 42],
    [1000, 10, True, 1],
    [2, 2, True, 7],
    [10, 3, False, None],
    [7, 7, False, None],
]


def folds_of(n, k, shuffle, seed):
    fold = np.full(n, -1, dtype=np.int64)
    for f, (_, test) in enumerate(KFold(k, shuffle=shuffle, random_state=seed).split(np.zeros((n, 1)))):
        fold[test] = f
    assert (fold >= 0).all()
    return [int(v) for v in fold]


def main():
    out = {
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "cases": [{"n": n, "k": k, "shuffle": s, "seed": r, "folds": folds_of(n, k, s, r)} for n, k, s, r in CASES],
    }
    with open(os.path.join(HERE, "kfold-vectors.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
