"""Write test/ml/classifier-vectors.json: scikit-learn's logistic regression and cross-validated
classifiers on the course unit's data, for test/ml/classifiers.test.ts. The data is not stored:
the test makes it again with Dusk's RandomState, bit-exact to numpy's.

Data: rs = np.random.RandomState(1); X = rs.normal(size=(300, 6));
y = X1 + sqrt(|X2 X3|) + X2 - X3 + rs.normal(size=300); binary labels 1 (y >= 1) else 0; three
classes -1 (y < -0.5), 2 (y < 1), 7 (otherwise). Folds: fold of row i = i % 5.
LogisticRegression(C) fits use solver='newton-cg', tol=1e-10 (the optimum to ~1e-9; lbfgs stops
at ~1e-5). Cross-validation: cross_val_predict(..., cv=PredefinedSplit(folds),
method='predict_proba'), then accuracy_score and log_loss of those probabilities.

Run from the repository root with Debian's python3-sklearn: /usr/bin/python3 test/ml/make-classifier-vectors.py
"""
import json
import warnings
import os

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import PredefinedSplit, cross_val_predict

from unit_data import unit_data  # beside this script (its folder is on sys.path)

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    warnings.simplefilter("ignore")  # newton-cg reports its line search stalling at ~1e-10: the optimum is reached
    X, y = unit_data(1, 300, 6)
    fresh, _ = unit_data(4, 50, 6)
    targets = {'binary': (y >= 1).astype(float), 'three': np.where(y < -0.5, -1.0, np.where(y < 1.0, 2.0, 7.0))}
    folds = np.arange(300) % 5
    out = {'sklearn': sklearn.__version__, 'logistic': [], 'cv': []}
    for name, t in targets.items():
        for C in (1.0, 0.05):
            m = LogisticRegression(C=C, solver='newton-cg', tol=1e-10, max_iter=10000).fit(X, t)
            out['logistic'].append({'target': name, 'C': C, 'classes': m.classes_.tolist(), 'intercept': m.intercept_.tolist(),
                                    'coef': m.coef_.tolist(), 'probabilities': m.predict_proba(fresh).T.tolist()})
        proba = cross_val_predict(LogisticRegression(C=1.0, solver='newton-cg', tol=1e-10, max_iter=10000), X, t, cv=PredefinedSplit(folds), method='predict_proba')
        classes = np.unique(t)
        out['cv'].append({'target': name, 'method': 'logisticRegression', 'probabilities': proba.T.tolist(),
                          'accuracy': accuracy_score(t, classes[np.argmax(proba, axis=1)]), 'logLoss': log_loss(t, proba)})
        forest = cross_val_predict(RandomForestClassifier(100, random_state=0), X, t, cv=PredefinedSplit(folds), method='predict_proba')
        out['cv'].append({'target': name, 'method': 'RandomForestClassifier(100)',
                          'accuracy': accuracy_score(t, classes[np.argmax(forest, axis=1)]), 'logLoss': log_loss(t, forest)})
    with open(os.path.join(HERE, 'classifier-vectors.json'), 'w') as f:
        json.dump(out, f)


main()
