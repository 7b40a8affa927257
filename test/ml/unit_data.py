"""The course unit's regression data (np.random.seed(seed); X = normal(size=(n, p)); y from X[:, :3]), shared by the vector scripts."""
import numpy as np


def unit_data(seed, n, p):
    rs = np.random.RandomState(seed)
    X = rs.normal(size=(n, p))
    y = X[:, 0] + np.sqrt(np.abs(X[:, 1] * X[:, 2])) + X[:, 1] - X[:, 2] + rs.normal(size=n)
    return X, y
