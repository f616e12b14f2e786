/**
 * Connected components of an undirected graph held in the warehouse, by iterative label propagation: every node
 * starts with its own key as label and, each round, takes the smallest label among itself and its neighbours.
 * After k rounds a label has travelled k edges, so the labels are final after (component diameter) rounds and one
 * more round confirms nothing changed. The rounds are capped; hitting the cap throws, naming it, rather than
 * returning components that are silently split.
 */
import type { Warehouse } from '../../../src/warehouse/warehouse.js';

export class IdentityGraphNotConvergedError extends Error {
  constructor(
    readonly maxIterations: number,
    readonly stillChanging: number,
  ) {
    super(
      `identity stitching did not converge after ${maxIterations} label-propagation rounds ` +
        `(${stillChanging} identifiers still changing); raise identity.maxIterations, or look for an identifier ` +
        `chaining many customers together`,
    );
    this.name = 'IdentityGraphNotConvergedError';
  }
}

export interface ComponentsOptions {
  /** A query with string columns `a` and `b`: one row per edge (either direction; self edges add lone nodes). */
  edgesSql: string;
  /** The scratch table to write (a name): `(node, label)`, label = the smallest node key in the node's component. */
  out: string;
  /** The schema scratch tables live in where the engine needs one (the analytics schema). */
  schema: string;
  maxIterations: number;
}

/**
 * Writes `(node, label)` for every node of the graph into the scratch table `out`; returns the rounds used.
 * Scratch tables `<out>_edges`, `<out>_adj` and `<out>_next` are dropped before returning.
 * @example await connectedComponents(wh, { edgesSql: 'select a, b from edges', out: '_idm_cc', schema: 'main', maxIterations: 50 })
 */
export async function connectedComponents(wh: Warehouse, options: ComponentsOptions): Promise<{ rounds: number }> {
  const d = wh.dialect;
  const out = d.scratchTableRef(options.schema, options.out);
  const adj = d.scratchTableRef(options.schema, `${options.out}_adj`);
  const next = d.scratchTableRef(options.schema, `${options.out}_next`);
  const edges = d.scratchTableRef(options.schema, `${options.out}_edges`);
  try {
    // The edge query runs once (it may scan large tables), then both directions are read from its result.
    await wh.exec(
      d.createScratchTableAs(edges, `select a, b from (${options.edgesSql}) e where a is not null and b is not null`),
    );
    await wh.exec(
      d.createScratchTableAs(
        adj,
        `select a as src, b as dst from ${edges}
union distinct
select b as src, a as dst from ${edges}`,
      ),
    );
    await wh.exec(`drop table if exists ${edges}`);
    await wh.exec(
      d.createScratchTableAs(out, `select src as node, min(least(src, dst)) as label from ${adj} group by src`),
    );
    for (let round = 1; round <= options.maxIterations; round++) {
      await wh.exec(
        d.createScratchTableAs(
          next,
          `select l.node, least(l.label, min(n.label)) as label
from ${out} l
join ${adj} a on a.src = l.node
join ${out} n on n.node = a.dst
group by l.node, l.label`,
        ),
      );
      const changed = await wh.query<{ n: number | bigint | null }>(
        `select sum(case when x.label <> l.label then 1 else 0 end) as n from ${next} x join ${out} l on l.node = x.node`,
      );
      const n = Number(changed[0]?.n ?? 0);
      // Nothing changed: `out` already holds the final labels.
      if (n === 0) return { rounds: round };
      await wh.exec(d.createScratchTableAs(out, `select node, label from ${next}`));
      if (round === options.maxIterations) throw new IdentityGraphNotConvergedError(options.maxIterations, n);
    }
    throw new IdentityGraphNotConvergedError(options.maxIterations, -1);
  } finally {
    await wh.exec(`drop table if exists ${edges}`);
    await wh.exec(`drop table if exists ${adj}`);
    await wh.exec(`drop table if exists ${next}`);
  }
}
