#!/usr/bin/env python3
"""Write numpy test vectors for dusk/random into fixtures/random/*.json.

Run from the repository root: python3 scripts/random-vectors.py
Needs numpy 2.x. Doubles are stored as the 16 hex digits of their IEEE-754 bit pattern so the
TypeScript tests compare to the last bit; 64-bit integers are stored as decimal strings.
Every generator case also records the next raw 64-bit draw after the call, which pins down
exactly how many draws the method consumed.
"""
import json
import os
import struct
import sys

import numpy as np
from numpy.random import MT19937, PCG64, PCG64DXSM, SFC64, Generator, Philox, SeedSequence

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'random')


def hexd(x):
    return struct.pack('>d', float(x)).hex()


def floats(a):
    return [hexd(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


def u64s(a):
    return [str(int(v)) for v in np.asarray(a, dtype=np.uint64).ravel()]


BITGENS = {'PCG64': PCG64, 'PCG64DXSM': PCG64DXSM, 'MT19937': MT19937, 'Philox': Philox, 'SFC64': SFC64}


def seed_json(seed):
    """Seeds as the TS side spells them: ints as strings (bigint-safe), SeedSequence as a dict."""
    if isinstance(seed, dict):
        return seed
    if isinstance(seed, list):
        return [str(s) for s in seed]
    return str(seed)


def make_seed(seed):
    if isinstance(seed, dict):
        return SeedSequence(int(seed['entropy']), spawn_key=tuple(seed['spawnKey']))
    return seed


def raw64(bg, n):
    """n next_uint64 draws (random_raw would give MT19937's 32-bit raw output instead)."""
    return u64s(Generator(bg).integers(0, 2**64, n, dtype=np.uint64))


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, 'w') as f:
        json.dump(data, f, separators=(',', ':'))
    print(f'{path}: {os.path.getsize(path)} bytes')


def seed_sequences():
    entropies = [0, 1, 42, 2**32 - 1, 2**32, 2**64 + 5, 2**128 - 1, 3**200, [1, 2, 3], [2**40, 7, 0],
                 [], list(range(1, 11)), 12345678901234567890]
    cases = []
    for e in entropies:
        for key in [(), (0,), (3, 7), (2**33,)]:
            for pool in [4, 8]:
                ss = SeedSequence(e, spawn_key=key, pool_size=pool)
                kids = ss.spawn(3)
                cases.append({
                    'entropy': seed_json(e), 'spawnKey': [str(k) for k in key], 'poolSize': pool,
                    'pool': ints(ss.pool),
                    'u32': ints(ss.generate_state(9, np.uint32)),
                    'u64': u64s(ss.generate_state(5, np.uint64)),
                    'children': [ints(k.generate_state(4, np.uint32)) for k in kids],
                    'childKeys': [[str(x) for x in k.spawn_key] for k in kids],
                })
    write('seed-sequence.json', cases)


def raw_mix(bg):
    """A fixed mix of next64 / next32 / next_double draws through a Generator."""
    g = Generator(bg)
    out = []
    out.append(['u32', ints(g.integers(0, 2**32, 3, dtype=np.uint32))])
    out.append(['u64', u64s(g.integers(0, 2**64, 2, dtype=np.uint64))])
    out.append(['u32', ints(g.integers(0, 2**32, 2, dtype=np.uint32))])
    out.append(['f64', floats(g.random(3))])
    out.append(['u32', ints(g.integers(0, 2**32, 1, dtype=np.uint32))])
    return out


def state_json(bg):
    st = bg.state
    name = st['bit_generator']
    if name in ('PCG64', 'PCG64DXSM'):
        return {'state': str(st['state']['state']), 'inc': str(st['state']['inc']),
                'hasUint32': int(st['has_uint32']), 'uinteger': int(st['uinteger'])}
    if name == 'MT19937':
        return {'pos': int(st['state']['pos']), 'keyHead': ints(st['state']['key'][:4])}
    if name == 'Philox':
        return {'counter': u64s(st['state']['counter']), 'key': u64s(st['state']['key']),
                'bufferPos': int(st['buffer_pos']), 'hasUint32': int(st['has_uint32']),
                'uinteger': int(st['uinteger'])}
    return {'state': u64s(st['state']['state']), 'hasUint32': int(st['has_uint32']),
            'uinteger': int(st['uinteger'])}


def bit_generators():
    seeds = [0, 1, 42, 2**63 + 3, 2**100 + 1, [1, 2, 3], {'entropy': '5', 'spawnKey': [2]}]
    cases = []
    for name, cls in BITGENS.items():
        for seed in seeds:
            bg = cls(make_seed(seed))
            st0 = state_json(bg)
            raw = raw64(bg, 6)
            cases.append({'bitGen': name, 'seed': seed_json(seed), 'state0': st0, 'raw': raw,
                          'mix': raw_mix(bg), 'stateAfter': state_json(bg)})
    write('bit-generators.json', cases)


def jumps_and_advances():
    cases = []
    for name in ['PCG64', 'PCG64DXSM', 'MT19937', 'Philox']:
        cls = BITGENS[name]
        for seed in [1, 42, 2**70 + 9]:
            for j in [1, 2, 3, 5]:
                bg = cls(seed)
                raw64(bg, 3)
                if name != 'MT19937':
                    Generator(bg).integers(0, 2**32, 1, dtype=np.uint32)  # leaves a buffered half
                jb = bg.jumped(j)
                cases.append({'bitGen': name, 'seed': str(seed), 'pre': 3, 'jumps': j, 'kind': 'jumped',
                              'state': state_json(jb), 'raw': raw64(jb, 4),
                              'normals': floats(Generator(cls(seed).jumped(j)).normal(0, 1, 3))})
    for name in ['PCG64', 'PCG64DXSM', 'Philox']:
        cls = BITGENS[name]
        for seed in [1, 42]:
            for delta in [0, 1, 2, 12345, 2**64 + 3, 2**100 + 7, 2**127 + 1]:
                bg = cls(seed)
                raw64(bg, 1)
                Generator(bg).integers(0, 2**32, 1, dtype=np.uint32)
                bg.advance(delta)
                cases.append({'bitGen': name, 'seed': str(seed), 'pre': 1, 'delta': str(delta), 'kind': 'advance',
                              'state': state_json(bg), 'raw': raw64(bg, 4)})
        if name != 'Philox':
            bg = cls(7)
            bg.advance(-1)  # numpy wraps negative deltas mod 2**128
            cases.append({'bitGen': name, 'seed': '7', 'pre': 0, 'delta': '-1', 'kind': 'advance',
                          'state': state_json(bg), 'raw': raw64(bg, 4)})
    for key, counter in [(12345, 0), (2**127 + 99, 2**64 - 1), (1, 2**256 - 2)]:
        bg = Philox(key=key, counter=counter)
        cases.append({'bitGen': 'Philox', 'key': str(key), 'counter': str(counter), 'kind': 'keyed',
                      'state': state_json(bg), 'raw': raw64(bg, 9)})
    write('jumps.json', cases)


def generator_cases():
    cases = []

    def case(bitgen, seed, method, args, kwargs, encode, n_scalar=0):
        bg = BITGENS[bitgen](seed)
        g = Generator(bg)
        if n_scalar:
            vals = [getattr(g, method)(*args, **kwargs) for _ in range(n_scalar)]
        else:
            vals = getattr(g, method)(*args, **kwargs)
        cases.append({'bitGen': bitgen, 'seed': str(seed), 'method': method, 'args': args,
                      'kwargs': kwargs, 'scalarCalls': n_scalar, 'values': encode(vals),
                      'next': raw64(bg, 1)[0]})

    big = ['PCG64']
    allbg = list(BITGENS)
    for bgname in allbg:
        n = 8000 if bgname in big else 1500
        case(bgname, 11, 'random', [], {'size': 500}, floats)
        case(bgname, 11, 'standard_normal', [], {'size': n}, floats)
        case(bgname, 12, 'standard_exponential', [], {'size': n // 2}, floats)
        case(bgname, 13, 'integers', [0, 10], {'size': 200}, ints)
    for bgname in ['PCG64', 'MT19937']:
        case(bgname, 3, 'standard_normal', [], {}, floats, n_scalar=200)
        case(bgname, 3, 'standard_exponential', [], {}, floats, n_scalar=200)
        case(bgname, 3, 'random', [], {}, floats, n_scalar=20)
        case(bgname, 3, 'integers', [-3, 1000], {}, ints, n_scalar=30)
    # Far ziggurat tails: many normals so that the idx == 0 branch is hit a few dozen times.
    case('PCG64', 2024, 'standard_normal', [], {'size': 30000}, floats)
    case('PCG64', 5, 'normal', [3.0, 2.5], {'size': 300}, floats)
    case('PCG64', 5, 'normal', [-1.0, 0.0], {'size': 5}, floats)
    case('PCG64', 6, 'exponential', [0.7], {'size': 300}, floats)
    case('PCG64', 7, 'uniform', [-2.0, 3.0], {'size': 300}, floats)
    case('PCG64', 7, 'uniform', [5.0, 5.0], {'size': 3}, floats)
    for shape in [0.0, 0.05, 0.3, 0.999, 1.0, 1.5, 7.5, 1e4]:
        case('PCG64', 8, 'standard_gamma', [shape], {'size': 300}, floats)
    case('MT19937', 8, 'standard_gamma', [2.5], {'size': 200}, floats)
    case('PCG64', 9, 'gamma', [2.2, 3.0], {'size': 300}, floats)
    case('PCG64', 9, 'gamma', [0.4, 0.5], {'size': 300}, floats)
    for a, b in [(0.5, 0.7), (2.0, 3.0), (0.9, 4.0), (1.0, 1.0), (0.01, 0.01), (0.002, 0.5)]:
        case('PCG64', 10, 'beta', [a, b], {'size': 300}, floats)
    for lam in [0.0, 0.5, 3.0, 9.99, 10.0, 45.3, 1e4, 1e9]:
        case('PCG64', 14, 'poisson', [lam], {'size': 300}, ints)
    case('SFC64', 14, 'poisson', [20.0], {'size': 200}, ints)
    for n, p in [(10, 0.3), (20, 0.9), (100, 0.25), (1000, 0.4), (1000, 0.97), (100000, 0.5),
                 (0, 0.5), (5, 0.0), (5, 1.0), (61, 0.5), (3000, 0.01), (40, 0.75)]:
        case('PCG64', 15, 'binomial', [n, p], {'size': 300}, ints)
    case('Philox', 15, 'binomial', [500, 0.2], {'size': 200}, ints)
    for args, kw in [([0, 10], {}), ([-5, 5], {'endpoint': True}), ([0, 2**32 - 1], {'endpoint': True}),
                     ([0, 2**32 + 5], {}), ([1, 2**53], {}), ([7, 8], {}), ([7, 7], {'endpoint': True}),
                     ([-2**31, 2**31], {}), ([100], {}), ([0, 3], {'dtype': 'int32'}),
                     ([0, 2**32], {'dtype': 'uint32'}), ([-10, 10], {'dtype': 'int32', 'endpoint': True})]:
        case('PCG64', 16, 'integers', args, dict(kw, size=100), ints)
    for args, kw in [([-2**63, 2**63], {}), ([0, 2**64 - 1], {'dtype': 'uint64'}), ([5, 2**62], {})]:
        bg = PCG64(17)
        g = Generator(bg)
        vals = g.integers(*args, size=50, **kw)
        cases.append({'bitGen': 'PCG64', 'seed': '17', 'method': 'integers_big', 'args': [str(a) for a in args],
                      'kwargs': kw, 'scalarCalls': 0, 'values': [str(int(v)) for v in vals],
                      'next': raw64(bg, 1)[0]})
    choice_cases = [
        ([10], {'size': 5}), ([10], {'size': 5, 'replace': False}), ([20000], {'size': 1000, 'replace': False}),
        ([20000], {'size': 100, 'replace': False}), ([20000], {'size': 1000, 'replace': False, 'shuffle': False}),
        ([20000], {'size': 1001, 'replace': False, 'shuffle': False}),
        ([6], {'size': 30, 'p': [0.1, 0.0, 0.3, 0.2, 0.25, 0.15]}),
        ([6], {'size': 4, 'replace': False, 'p': [0.1, 0.0, 0.3, 0.2, 0.25, 0.15]}),
        ([5], {'size': 5, 'replace': False, 'p': [0.5, 0.2, 0.1, 0.1, 0.1]}),
        ([10], {}), ([10], {'replace': False}), ([10], {'p': [0.1] * 10}),
        ([3], {'size': 0, 'replace': False}), ([50], {'size': 50, 'replace': False}),
    ]
    for args, kw in choice_cases:
        case('PCG64', 18, 'choice', args, kw, ints)
    case('MT19937', 18, 'choice', [100], {'size': 10, 'replace': False}, ints)
    case('PCG64', 19, 'permutation', [50], {}, ints)
    case('PCG64', 19, 'permutation', [1000], {}, ints)
    case('MT19937', 19, 'permutation', [300], {}, ints)
    case('PCG64', 19, 'permutation', [1], {}, ints)
    # shuffle of an explicit array, recorded as the permuted values.
    for bgname in ['PCG64', 'SFC64']:
        bg = BITGENS[bgname](20)
        g = Generator(bg)
        arr = np.arange(100, 140, dtype=np.float64)
        g.shuffle(arr)
        cases.append({'bitGen': bgname, 'seed': '20', 'method': 'shuffle', 'args': [40], 'kwargs': {},
                      'scalarCalls': 0, 'values': ints(arr), 'next': raw64(bg, 1)[0]})
    # A mixed session on one generator: buffered 32-bit halves and read-ahead must interleave.
    for bgname in ['PCG64', 'MT19937', 'Philox']:
        bg = BITGENS[bgname](21)
        g = Generator(bg)
        seq = []
        seq.append(['standard_normal', [], {'size': 7}, floats(g.standard_normal(7))])
        seq.append(['integers', [0, 10], {'size': 3}, ints(g.integers(0, 10, 3))])
        seq.append(['standard_normal', [], {}, floats([g.standard_normal()])])
        seq.append(['integers', [0, 1000], {}, ints([g.integers(0, 1000)])])
        seq.append(['gamma', [0.7, 1.0], {'size': 5}, floats(g.gamma(0.7, 1.0, 5))])
        seq.append(['integers', [0, 7], {'size': 1}, ints(g.integers(0, 7, 1))])
        seq.append(['poisson', [25.0], {'size': 4}, ints(g.poisson(25.0, 4))])
        seq.append(['permutation', [9], {}, ints(g.permutation(9))])
        seq.append(['binomial', [50, 0.5], {'size': 3}, ints(g.binomial(50, 0.5, 3))])
        seq.append(['random', [], {'size': 2}, floats(g.random(2))])
        cases.append({'bitGen': bgname, 'seed': '21', 'method': 'session', 'args': [], 'kwargs': {},
                      'scalarCalls': 0, 'values': seq, 'next': raw64(bg, 1)[0]})
    write('generator.json', cases)


def tasks():
    cases = []
    for seed in [0, 42, 2**70 + 1]:
        kids = SeedSequence(seed).spawn(100)
        for i in [0, 1, 5, 99]:
            g = Generator(PCG64(kids[i]))
            cases.append({'seed': str(seed), 'task': i, 'normals': floats(g.normal(0, 1, 5)),
                          'uniforms': floats(g.random(5))})
    course = {
        'random3': floats(Generator(PCG64(1)).random(3)),
        'jumped1': floats(Generator(PCG64(1).jumped(1)).normal(0, 1, 3)),
        'jumped2': floats(Generator(PCG64(1).jumped(2)).normal(0, 1, 3)),
        'mtJumped1': floats(Generator(MT19937(1).jumped(1)).normal(0, 1, 3)),
    }
    write('tasks.json', {'tasks': cases, 'course': course})


if __name__ == '__main__':
    if not np.__version__.startswith('2.'):
        sys.exit(f'numpy 2.x required, found {np.__version__}')
    os.makedirs(OUT, exist_ok=True)
    write('meta.json', {'numpy': np.__version__, 'python': sys.version.split()[0]})
    seed_sequences()
    bit_generators()
    jumps_and_advances()
    generator_cases()
    tasks()
