import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/models/define-model.js';
import { ModelRegistry } from '../../src/models/registry.js';
import { MODELS } from '../../models/index.js';

const m = (name: string, dependsOn: string[] = []) =>
  defineModel({ name, grain: `one row per ${name}`, dependsOn, build: () => 'select 1 as x' });

describe('model registry', () => {
  it('orders models after their dependencies, keeping declaration order among equals', () => {
    const registry = new ModelRegistry([m('mart', ['stg_b', 'stg_a']), m('stg_a'), m('stg_b', ['stg_a']), m('other')]);
    expect(registry.order().map((x) => x.name)).toEqual(['stg_a', 'stg_b', 'mart', 'other']);
  });

  it('selects a model and everything it depends on, nothing else', () => {
    const registry = new ModelRegistry([m('a'), m('b', ['a']), m('c', ['b']), m('d', ['a'])]);
    expect(registry.order(['c']).map((x) => x.name)).toEqual(['a', 'b', 'c']);
    expect(registry.order(['d', 'a']).map((x) => x.name)).toEqual(['a', 'd']);
  });

  it('names a cycle', () => {
    expect(() => new ModelRegistry([m('a', ['c']), m('b', ['a']), m('c', ['b'])])).toThrow(
      'dependency cycle: a -> c -> b -> a',
    );
    expect(() => new ModelRegistry([m('self', ['self'])])).toThrow('dependency cycle: self -> self');
  });

  it('rejects unknown dependencies, duplicates, bad names and unknown selections', () => {
    expect(() => new ModelRegistry([m('a', ['nope'])])).toThrow('model "a" depends on unknown model "nope"');
    expect(() => new ModelRegistry([m('a'), m('a')])).toThrow('duplicate model name "a"');
    expect(() => new ModelRegistry([m('bad-name')])).toThrow(/model name: "bad-name" is not a valid identifier/);
    expect(() => new ModelRegistry([m('a')]).order(['zzz'])).toThrow('unknown model "zzz"; known models: a');
  });

  it('accepts the shipped models, each with a grain sentence', () => {
    const registry = new ModelRegistry(MODELS);
    expect(registry.order().at(-1)?.name).toBeDefined();
    for (const model of MODELS) expect(model.grain).toMatch(/^one row per /);
  });
});

describe('selection with the downstream operator', () => {
  it('name+ selects the model and everything downstream of it, plus their dependencies', () => {
    const m = (name: string, dependsOn: string[]) => ({ name, grain: 'x', dependsOn, build: () => 'select 1' });
    const reg = new ModelRegistry([m('a', []), m('b', ['a']), m('c', ['b']), m('d', ['a']), m('e', [])]);
    expect(reg.expand(['b+']).sort()).toEqual(['b', 'c']);
    expect(reg.order(['b+']).map((x) => x.name)).toEqual(['a', 'b', 'c']);
    expect(reg.expand(['a+']).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(() => reg.expand(['zz+'])).toThrow(/zz/);
  });
});
