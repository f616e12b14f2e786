import { assertIdentifier } from '../warehouse/identifiers.js';
import type { ModelDefinition } from './define-model.js';

export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryError';
  }
}

/**
 * The set of models and their dependency order. Construction validates names, unknown dependencies and
 * cycles (naming the cycle, e.g. `a -> b -> a`), so a bad graph fails before anything runs.
 */
export class ModelRegistry {
  private readonly byName = new Map<string, ModelDefinition>();

  constructor(models: readonly ModelDefinition[]) {
    for (const model of models) {
      assertIdentifier(model.name, 'model name');
      if (this.byName.has(model.name)) throw new RegistryError(`duplicate model name "${model.name}"`);
      this.byName.set(model.name, model);
    }
    for (const model of models) {
      for (const dep of model.dependsOn) {
        if (!this.byName.has(dep)) throw new RegistryError(`model "${model.name}" depends on unknown model "${dep}"`);
      }
    }
    const cycle = this.findCycle();
    if (cycle) throw new RegistryError(`dependency cycle: ${cycle.join(' -> ')}`);
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): ModelDefinition {
    const model = this.byName.get(name);
    if (!model) throw new RegistryError(`unknown model "${name}"; known models: ${this.names.join(', ')}`);
    return model;
  }

  /**
   * Models in an order where every model follows its dependencies. With `select`, only those models and
   * everything they depend on (transitively). Ties keep declaration order, so the order is stable.
   */
  order(select?: readonly string[]): ModelDefinition[] {
    const wanted = new Set<string>();
    const selected = select === undefined ? undefined : this.expand(select);
    const addWithDeps = (name: string) => {
      if (wanted.has(name)) return;
      wanted.add(name);
      for (const dep of this.get(name).dependsOn) addWithDeps(dep);
    };
    for (const name of selected ?? this.names) addWithDeps(name);

    const out: ModelDefinition[] = [];
    const done = new Set<string>();
    const visit = (name: string) => {
      if (done.has(name)) return;
      for (const dep of this.get(name).dependsOn) visit(dep);
      done.add(name);
      out.push(this.get(name));
    };
    for (const name of this.names) if (wanted.has(name)) visit(name);
    return out;
  }

  /**
   * Expands a selection: `name` is the model, `name+` the model and every model downstream of it (dbt's graph
   * operator), so `reward_ledger+` reruns the ledger and what reads it. Unknown names fail with the known list.
   */
  expand(select: readonly string[]): string[] {
    const out = new Set<string>();
    for (const item of select) {
      const downstream = item.endsWith('+');
      const name = downstream ? item.slice(0, -1) : item;
      this.get(name);
      out.add(name);
      if (!downstream) continue;
      let grew = true;
      while (grew) {
        grew = false;
        for (const model of this.byName.values())
          if (!out.has(model.name) && model.dependsOn.some((d) => out.has(d) && this.reaches(d, name))) {
            out.add(model.name);
            grew = true;
          }
      }
    }
    return [...out];
  }

  /** Whether `from` is `to` or depends on it, transitively. */
  private reaches(from: string, to: string): boolean {
    if (from === to) return true;
    return this.get(from).dependsOn.some((d) => this.reaches(d, to));
  }

  private findCycle(): string[] | undefined {
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (name: string): string[] | undefined => {
      const s = state.get(name);
      if (s === 'done') return undefined;
      if (s === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
      state.set(name, 'visiting');
      stack.push(name);
      for (const dep of this.byName.get(name)!.dependsOn) {
        const cycle = visit(dep);
        if (cycle) return cycle;
      }
      stack.pop();
      state.set(name, 'done');
      return undefined;
    };
    for (const name of this.byName.keys()) {
      const cycle = visit(name);
      if (cycle) return cycle;
    }
    return undefined;
  }
}
