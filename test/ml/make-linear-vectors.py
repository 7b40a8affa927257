"""Write test/ml/linear-vectors.json: OLS and ridge coefficients from numpy on the course unit's
data, for test/ml/linear.test.ts. The data is not stored: the test makes it again with Dusk's
RandomState, bit-exact to numpy's.

Data: rs = np.random.RandomState(seed); X = rs.normal(size=(n, p));
y = X1 + sqrt(|X2 X3|) + X2 - X3 + rs.normal(size=n).
OLS: np.linalg.lstsq on [1 X]. Ridge (intercept not penalised): the closed form
([1 X]^T [1 X] + lambda diag(0, 1, ..., 1))^-1 [1 X]^T y.

Run from the repository root: python3 test/ml/make-linear-vectors.py
"""
import json
import os

import numpy as np

from unit_data import unit_data  # beside this script (its folder is on sys.path)

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [
    # seed, n, p, ridge lambdas
    [1, 1000, 50, [0.5, 10.0, 1000.0]],
    [2, 60, 5, [1.0]],
]


def main():
    cases = []
    for seed, n, p, lambdas in CASES:
        X, y = unit_data(seed, n, p)
        A = np.column_stack([np.ones(n), X])
        ols = np.linalg.lstsq(A, y, rcond=None)[0]
        ridges = []
        for lam in lambdas:
            D = np.eye(p + 1) * lam
            D[0, 0] = 0.0
            b = np.linalg.solve(A.T @ A + D, A.T @ y)
            ridges.append({"lambda": lam, "intercept": float(b[0]), "coef": [float(v) for v in b[1:]]})
        cases.append({
            "seed": seed, "n": n, "p": p,
            "y_head": [float(v) for v in y[:5]],
            "ols": {"intercept": float(ols[0]), "coef": [float(v) for v in ols[1:]]},
            "ridge": ridges,
        })
    with open(os.path.join(HERE, "linear-vectors.json"), "w") as f:
        json.dump({"numpy": np.__version__, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
