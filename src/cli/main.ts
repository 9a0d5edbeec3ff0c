/**
 * The `lantern` command. Every subcommand is a client of the same composed services the server
 * uses; configuration flags (see `lantern help`) may follow any subcommand.
 */
import { ConfigError, loadConfig, SETTINGS } from '../app/config.js';
import { openConfiguredStore } from '../app/server.js';
import { DomainError } from '../core/errors.js';
import { importRoles } from './roles-commands.js';
import { runOfferCommand } from './offer-commands.js';
import { runDemo, runServe } from './serve-commands.js';

const USAGE = `Usage: lantern <command> [options]

Commands:
  serve [--demo]          Serve Lantern (HTTP and HTTPS). --demo seeds the demo world into a new database.
  demo [--json]           Create the demo world in the configured database and print its credentials.
  roles import FILE       Load role definitions from the JSON of 'az role definition list'.
  offer …                 Offer as code: validate, push, publish, export, template (lantern offer help).
  help                    Show this text.

Options (each also settable by its environment variable):
${SETTINGS.map((s) => `  ${`${s.flag} VALUE`.padEnd(24)}${s.env.padEnd(26)}${s.description}${s.default ? ` Default: ${s.default}` : ''}`).join('\n')}
`;

/** Splits the command's own switches and positionals from configuration flags. */
function split(args: readonly string[], switches: readonly string[]): { positionals: string[]; switches: Set<string>; config: string[] } {
  const positionals: string[] = [];
  const on = new Set<string>();
  const config: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (switches.includes(arg)) on.add(arg);
    else if (arg.startsWith('--')) {
      config.push(arg);
      if (!arg.includes('=') && i + 1 < args.length) config.push(args[++i] as string);
    } else positionals.push(arg);
  }
  return { positionals, switches: on, config };
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { switches, config } = split(rest, ['--demo']);
      return runServe(loadConfig(config, process.env), { demo: switches.has('--demo') });
    }
    case 'demo': {
      const { switches, config } = split(rest, ['--json']);
      return runDemo(loadConfig(config, process.env), { json: switches.has('--json') });
    }
    case 'roles': {
      const { positionals, config } = split(rest, []);
      if (positionals[0] !== 'import' || !positionals[1]) {
        process.stderr.write('Usage: lantern roles import FILE\n');
        return 2;
      }
      const store = await openConfiguredStore(loadConfig(config, process.env));
      try {
        const summary = await importRoles(store, positionals[1]);
        process.stdout.write(`Imported role definitions: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged.\n`);
        return 0;
      } finally {
        await store.close();
      }
    }
    case 'offer':
      return runOfferCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`Unknown command '${command}'.\n\n${USAGE}`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else if (error instanceof DomainError) process.stderr.write(`${error.code}: ${error.message}\n`);
  else process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
