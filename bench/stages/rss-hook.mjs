// Preloaded into node processes a bench stage spawns (NODE_OPTIONS=--import <this file>): on exit, appends
// "<pid> <maxRSS KiB>" to $REFSTACK_BENCH_RSS_FILE, so the stage can report its children's peak RSS.
import { appendFileSync } from 'node:fs';

const file = process.env.REFSTACK_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`);
    } catch {
      // Best effort: a child that cannot write its figure is left out of the maximum, never fails the stage.
    }
  });
}
