import { describe, expect, it } from 'vitest';
import { DuskError } from '../../src/core/errors.js';
import { FunctionRegistry, functions, type ScalarFunction } from '../../src/expr/index.js';
import { abs } from '../../src/expr/functions/math.js';

describe('function registry', () => {
  it('refuses a second function with a taken name, saying which', () => {
    const registry = new FunctionRegistry();
    registry.register(abs);
    const twin: ScalarFunction = { ...abs };
    expect(() => registry.register(twin)).toThrow(DuskError);
    expect(() => registry.register(twin)).toThrow("expression function 'abs' is already registered; each function name must be unique");
    expect(registry.names()).toEqual(['abs']);
  });

  it('the built-in registry refuses to replace a built-in', () => {
    expect(() => functions.register({ ...abs, name: 'add' })).toThrow(/'add' is already registered/);
  });

  it('refuses a custom-null function without emit', () => {
    const registry = new FunctionRegistry();
    expect(() => registry.register({ ...abs, name: 'odd', nulls: 'custom' })).toThrow(/custom null handling but no emit/);
  });

  it('holds every operator and function the builder uses', () => {
    expect(functions.names().sort()).toEqual(
      ['abs', 'add', 'and', 'ceil', 'clip', 'cos', 'div', 'eq', 'exp', 'fillNull', 'floor', 'ge', 'gt', 'isIn', 'isNotNull', 'isNull', 'le', 'log', 'lt', 'mod', 'mul', 'ne', 'neg', 'not', 'onDevice', 'or', 'pow', 'round', 'sin', 'sqrt', 'str.contains', 'str.endsWith', 'str.len', 'str.lower', 'str.slice', 'str.startsWith', 'str.upper', 'sub'].sort(),
    );
  });
});
