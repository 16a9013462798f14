// The agnhost-compatible image (`registry.k8s.io/e2e-test-images/agnhost:<any tag>`):
// `agnhost <subcommand> [flags]` with the subcommands Service tests use. Behaviour follows
// upstream kubernetes test/images/agnhost, except that servers bind $POD_IP (loopback mode).
import { runConnect } from './_connect.js';
import { runNetexec } from './_netexec.js';
import { runServeHostname } from './_serve_hostname.js';
import { logLine, onTermination } from './_pod.js';
import { FlagError } from './_flags.js';

const SUBCOMMANDS: Record<string, (args: readonly string[]) => void | Promise<void>> = {
  netexec: runNetexec,
  'serve-hostname': runServeHostname,
  connect: runConnect,
  pause: runPause,
};

function runPause(): void {
  logLine('Paused');
  // Keeps the event loop alive until a termination signal arrives.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  onTermination(() => {
    clearInterval(keepAlive);
    process.exit(0);
  });
}

function usage(): string {
  return `Usage:\n  agnhost [command]\n\nAvailable Commands:\n${Object.keys(SUBCOMMANDS)
    .map((c) => `  ${c}`)
    .join('\n')}\n`;
}

async function main(argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    process.stdout.write(usage());
    return;
  }
  const run = SUBCOMMANDS[sub];
  if (!run) {
    process.stderr.write(`Error: unknown command "${sub}" for "agnhost"\nRun 'agnhost --help' for usage.\n`);
    process.exit(1);
  }
  try {
    await run(rest);
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`Error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

await main(process.argv.slice(2));
