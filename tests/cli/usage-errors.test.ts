import type { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { main, program } from '../../src/cli/main.js';

describe('refstack usage errors', () => {
  it('every command answers an unknown flag with exit code 2, never by exiting the process itself', async () => {
    const leaves: string[][] = [];
    const walk = (cmd: Command, path: string[]) => {
      for (const sub of cmd.commands) {
        const name = [...path, sub.name()];
        if (sub.commands.length === 0) leaves.push(name);
        else walk(sub, name);
      }
    };
    walk(program(), []);
    expect(leaves.length).toBeGreaterThan(20);
    // A nested command without main's exit override calls process.exit(1) from inside commander.
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      throw new Error(`process.exit(${code})`);
    }) as never);
    const codes: Record<string, number> = {};
    try {
      for (const name of leaves) codes[name.join(' ')] = await main([...name, '--no-such-flag']);
    } finally {
      stderr.mockRestore();
      exit.mockRestore();
    }
    expect(Object.entries(codes).filter(([, code]) => code !== 2)).toEqual([]);
  });
});
