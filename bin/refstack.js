#!/usr/bin/env node
// refstack ships TypeScript sources and runs them through tsx, so configs may be .ts too.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/entry.ts');
