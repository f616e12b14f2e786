/**
 * For models that write their own table (numeric kernels: SQL sufficient statistics in, a small table out): drop
 * `ctx.self` and create it empty with the model's columns, so every build starts from an empty table of that shape
 * and an empty warehouse still gets the table; rows are then added with `appendRows` in that column order.
 */
import type { ColumnDef } from '../warehouse/dialect.js';
import type { ModelContext } from './define-model.js';

export async function freshTable(ctx: Pick<ModelContext, 'wh' | 'd' | 'self'>, columns: ColumnDef[]): Promise<void> {
  await ctx.wh.exec(`drop table if exists ${ctx.self}`);
  await ctx.wh.exec(ctx.d.createTableIfNotExists(ctx.self, columns));
}
