import { main } from './main.js';

// A command may already have set a failure code; main's own code only replaces it when it is itself non-zero.
const code = await main(process.argv.slice(2));
if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
