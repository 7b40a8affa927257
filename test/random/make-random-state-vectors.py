"""Write test/random/random-state-vectors.json: numpy's legacy RandomState outputs that
test/random/random-state.test.ts must reproduce to the bit.

Run from the repository root: python3 test/random/make-random-state-vectors.py
Floats are stored as the 16 hex digits of their IEEE-754 bits, integers as numbers.
"""
import hashlib
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

SEEDS = [0, 1, 42, 2**32 - 1, [1, 2, 3], list(range(700))]

# One call list, replayed in order on one RandomState per seed, so state carries over
# between methods (the Gaussian cache included). Each entry: [method, args]; None = omitted.
CALLS = [
    ["random_sample", [5]],
    ["random_sample", [None]],
    ["standard_normal", [7]],          # odd count: one Gaussian stays cached
    ["randint", [0, 10, 20]],          # the cache survives other methods
    ["normal", [2.0, 3.0, 5]],         # first value is the cached one
    ["normal", [0.0, 1.0, None]],
    ["uniform", [-1.0, 5.0, 10]],
    ["uniform", [3.0, 1.0, 4]],        # high < low is allowed in RandomState
    ["randint", [5, None, 10]],
    ["randint", [-3, 1000, 10]],
    ["randint", [0, 2**32, 6]],        # range 2**32 - 1: plain 32-bit draws
    ["randint", [-5, 2**40, 6]],       # 64-bit masked rejection
    ["randint", [7, 8, 3]],            # range 0: no draws
    ["randint", [0, 100, None]],
    ["permutation", [10]],
    ["permutation", [[10.5, 20.5, 30.5, 40.5, 50.5, 60.5]]],
    ["shuffle", [list(range(12))]],
    ["choice", [10, 6]],
    ["choice", [10, 6, False]],
    ["choice", [["a", "b", "c", "d"], 5]],
    ["choice", [5, 8, True, [0.1, 0.2, 0.3, 0.15, 0.25]]],
    ["choice", [6, 3, False, [0.1, 0.0, 0.3, 0.2, 0.25, 0.15]]],
    ["choice", [7, None]],
    ["exponential", [2.0, 6]],
    ["standard_exponential", [3]],
    ["gamma", [0.5, 2.0, 6]],
    ["gamma", [1.0, 1.5, 3]],
    ["gamma", [3.5, 1.0, 5]],          # draws Gaussians through the cache
    ["standard_normal", [None]],
    ["gamma", [0.0, 1.0, 2]],
    ["binomial", [10, 0.3, 6]],        # inversion
    ["binomial", [100, 0.4, 6]],       # BTPE
    ["binomial", [100, 0.8, 6]],       # mirrored BTPE
    ["binomial", [20, 0.9, 6]],        # mirrored inversion
    ["binomial", [0, 0.5, 2]],         # legacy: still draws
    ["binomial", [5, 1.0, 2]],
    ["poisson", [3.0, 6]],             # multiplication method
    ["poisson", [50.0, 6]],            # PTRS
    ["poisson", [0.0, 3]],
    ["random_sample", [3]],
]


def hexf(x):
    return np.float64(x).view(np.uint64).item().to_bytes(8, "big").hex()


def encode(v):
    a = np.asarray(v)
    if a.dtype.kind == "f":
        return {"f": [hexf(x) for x in a.ravel()]}
    if a.dtype.kind in "iu":
        return {"i": [int(x) for x in a.ravel()]}
    return {"s": [str(x) for x in a.ravel()]}


def run(rs, method, args):
    args = [a for a in args]
    while args and args[-1] is None and method not in ("choice",):
        args.pop()
    if method == "shuffle":
        x = np.array(args[0])
        rs.shuffle(x)
        return x
    if method == "permutation" and isinstance(args[0], list):
        return rs.permutation(np.array(args[0]))
    if method == "randint":
        low, high, size = args + [None] * (3 - len(args))
        return rs.randint(low, high, size)
    if method == "choice":
        a, size = args[0], args[1]
        replace = args[2] if len(args) > 2 else True
        p = args[3] if len(args) > 3 else None
        return rs.choice(a, size, replace, p)
    return getattr(rs, method)(*args)


def seed_json(s):
    return s if isinstance(s, list) else str(s)


def main():
    out = {"numpy": np.__version__, "calls": CALLS, "seeds": []}
    for s in SEEDS:
        rs = np.random.RandomState(s)
        key0 = rs.get_state()[1][:4].tolist()
        results = [encode(run(rs, m, a)) for m, a in CALLS]
        state = rs.get_state()
        out["seeds"].append({
            "seed": seed_json(s),
            "keyHead": key0,
            "results": results,
            "endPos": int(state[2]),
            "endKeyHead": state[1][:4].tolist(),
        })

    # The course unit's data (shared/seed scenario 3): seed 1, X (1000 x 50), Y, 10 folds.
    np.random.seed(1)
    n, p = 1000, 50
    X = np.random.normal(size=(n, p))
    noise = np.random.normal(size=n)
    Y = X[:, 0] + np.sqrt(np.abs(X[:, 1] * X[:, 2])) + X[:, 1] - X[:, 2] + noise
    folds = np.random.permutation(np.repeat(np.arange(10), 100))
    out["course"] = {
        "n": n,
        "p": p,
        "xSha256": hashlib.sha256(X.astype("<f8").tobytes()).hexdigest(),
        "xHead": [hexf(v) for v in X.ravel()[:64]],
        "xTail": [hexf(v) for v in X.ravel()[-8:]],
        "y": [hexf(v) for v in Y],
        "folds": [int(v) for v in folds],
    }

    # Bad seeds numpy refuses (message fragments and exception types).
    refusals = []
    for bad in [-1, 2**32, [], [1, -2], [1, 2**32], 1.5]:
        try:
            np.random.RandomState(bad)
            refusals.append({"seed": repr(bad), "error": None})
        except Exception as e:  # noqa: BLE001 - we record what numpy raises
            refusals.append({"seed": repr(bad), "error": type(e).__name__, "message": str(e)})
    out["refusals"] = refusals

    with open(os.path.join(HERE, "random-state-vectors.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
