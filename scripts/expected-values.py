#!/usr/bin/env python3
"""Writes fixtures/airline/expected.json: pandas' answers on the committed airline fixtures.

Run with Debian's python3 and python3-pandas:  /usr/bin/python3 scripts/expected-values.py
The tests compare Dusk's results on the same files (plain, gzip, bz2) with these numbers.
"""
import json
import os

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, '..', 'fixtures', 'airline')
COLUMNS = ['DepDelay', 'ArrDelay', 'Distance', 'CRSElapsedTime', 'TaxiOut', 'ActualElapsedTime', 'Month']

files = sorted(os.path.join(FIX, 'none', f) for f in os.listdir(os.path.join(FIX, 'none')) if f.endswith('.csv'))
df = pd.concat([pd.read_csv(f, encoding='latin1', dtype={'TailNum': str, 'CancellationCode': str}) for f in files])
out = {'pandas': pd.__version__, 'rows': int(len(df)), 'columns': {}}
for c in COLUMNS:
    s = df[c]
    out['columns'][c] = {
        'count': int(s.count()), 'sum': float(s.sum()), 'min': float(s.min()), 'max': float(s.max()),
        'mean': float(s.mean()), 'var': float(s.var()), 'std': float(s.std()),
    }
out['TailNum'] = {'count': int(df['TailNum'].count()), 'first': df['TailNum'].iloc[0],
                  'nonAscii': sorted(set(t for t in df['TailNum'].dropna() if any(ord(ch) > 127 for ch in t)))[:5]}
out['CancellationCode'] = {'count': int(df['CancellationCode'].count())}
with open(os.path.join(FIX, 'expected.json'), 'w') as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
print(json.dumps(out)[:400])
