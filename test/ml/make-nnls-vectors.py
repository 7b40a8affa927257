"""Write test/ml/nnls-vectors.json: scipy.optimize.nnls solutions, for test/ml/nnls.test.ts.

Problems: A = rs.normal(size=(n, k)) (stored by columns), b = A @ x_true + noise, with x_true
partly negative so that some constraints are active; one case with two nearly collinear columns
(as the CV predictions of ols and a weak ridge are) and one whose b is anti-correlated with
every column (the answer is x = 0).

Run from the repository root: python3 test/ml/make-nnls-vectors.py
"""
import json
import os

import numpy as np
import scipy
from scipy.optimize import nnls

HERE = os.path.dirname(os.path.abspath(__file__))


def case(seed, n, k, kind):
    rs = np.random.RandomState(seed)
    A = rs.normal(size=(n, k))
    x_true = rs.normal(size=k)
    if kind == 'collinear':
        A[:, 1] = A[:, 0] + 1e-4 * rs.normal(size=n)
    if kind == 'positive':
        A = np.abs(A) + 1.0
    b = A @ x_true + 0.1 * rs.normal(size=n)
    if kind == 'negative':
        A = np.abs(A)
        b = -np.abs(b)
    x, rnorm = nnls(A, b)
    return {'seed': seed, 'kind': kind, 'A': A.T.tolist(), 'b': b.tolist(), 'x': x.tolist(), 'rnorm': rnorm}


CASES = [case(1, 50, 3, 'plain'), case(2, 200, 6, 'plain'), case(3, 100, 8, 'plain'), case(4, 100, 5, 'collinear'),
         case(5, 80, 4, 'positive'), case(6, 30, 3, 'negative'), case(7, 150, 12, 'plain')]

with open(os.path.join(HERE, 'nnls-vectors.json'), 'w') as f:
    json.dump({'scipy': scipy.__version__, 'numpy': np.__version__, 'cases': CASES}, f)
print('active constraints per case:', [sum(1 for v in c['x'] if v == 0) for c in CASES])
