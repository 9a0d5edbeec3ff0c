/**
 * The `lantern` command. Every subcommand is a client of the same composed services the server
 * uses; configuration flags (see `lantern help`) may follow any subcommand. Subcommands are loaded
 * only when run, so `lantern --version` and `lantern help` start in a few tens of milliseconds.
 */
import { readFileSync } from 'node:fs';
import { loadConfig, SETTINGS } from '../app/config.js';
import { fromPackageRoot } from '../app/package-root.js';
import { describeFailure, UsageError } from './cli-errors.js';
import { table } from './columns.js';
import { parseArgs } from './cli-args.js';

/** The command's own switches and positionals, and configuration flags. */
const split = (args: readonly string[], switches: readonly string[]) => parseArgs(args, { switches, config: true });

interface Command {
  readonly synopsis: string;
  readonly summary: string;
  /** The command's own usage, shown by `lantern COMMAND help`. */
  readonly usage: () => Promise<string> | string;
  readonly run: (args: readonly string[]) => Promise<number>;
}

const HELP_WORDS = new Set(['help', '--help', '-h']);

const OPTIONS = `Options (each also settable by its environment variable):\n${table(
  SETTINGS.map((s) => [`${s.flag} VALUE`, s.env, `${s.description}${s.default ? ` Default: ${s.default}` : ''}`]),
  '  ',
)}`;

const COMMANDS: Record<string, Command> = {
  serve: {
    synopsis: 'serve [--demo]',
    summary: 'Serve Lantern (HTTP and HTTPS). --demo seeds the demo world into a new database.',
    usage: () => `Usage: lantern serve [--demo] [options]\n\nServes Lantern until Ctrl-C. --demo seeds the demo world into a new (empty) database, or shows\nits credentials again when the database already holds it.\n\n${OPTIONS}`,
    async run(args) {
      const { switches, config } = split(args, ['--demo']);
      const { runServe } = await import('./serve-commands.js');
      return runServe(loadConfig(config, process.env), { demo: switches.has('--demo') });
    },
  },
  demo: {
    synopsis: 'demo [--json]',
    summary: 'Create the demo world in the configured database and print its credentials.',
    usage: () => `Usage: lantern demo [--json] [options]\n\nCreates the demo world in a new database (or shows it again) without serving.\n\n${OPTIONS}`,
    async run(args) {
      const { switches, config } = split(args, ['--json']);
      const { runDemo } = await import('./serve-commands.js');
      return runDemo(loadConfig(config, process.env), { json: switches.has('--json') });
    },
  },
  roles: {
    synopsis: 'roles import|import-assignments FILE',
    summary: "Load role definitions ('az role definition list') or role assignments ('az role assignment list --all') in bulk.",
    usage: async () => (await import('./roles-commands.js')).ROLES_USAGE,
    async run(args) {
      const { positionals, config } = split(args, []);
      const [what, file] = positionals;
      if ((what !== 'import' && what !== 'import-assignments') || file === undefined || positionals.length > 2) throw new UsageError('roles import FILE or roles import-assignments FILE: exactly one FILE');
      const { runRolesImport, runRoleAssignmentsImport } = await import('./roles-commands.js');
      return (what === 'import' ? runRolesImport : runRoleAssignmentsImport)(file, loadConfig(config, process.env));
    },
  },
  authenticator: {
    synopsis: 'authenticator remove USER',
    summary: "Remove a user's TOTP authenticator (a lost phone); users manage their own over HTTP.",
    usage: async () => (await import('./authenticator-commands.js')).AUTHENTICATOR_USAGE,
    async run(args) {
      const { positionals, config } = split(args, []);
      if (positionals[0] !== 'remove' || positionals[1] === undefined || positionals.length > 2) throw new UsageError('authenticator remove needs exactly one USER');
      const { runAuthenticatorRemove } = await import('./authenticator-commands.js');
      return runAuthenticatorRemove(positionals[1], loadConfig(config, process.env));
    },
  },
  operator: {
    synopsis: 'operator …',
    summary: 'Platform operators: bootstrap the first one, grant and revoke; create tenants, users, groups, service principals, subscriptions.',
    usage: async () => (await import('./operator-commands.js')).OPERATOR_USAGE,
    async run(args) {
      const { runOperatorCommand } = await import('./operator-commands.js');
      return runOperatorCommand(args);
    },
  },
  offer: {
    synopsis: 'offer …',
    summary: 'Offer as code: init, validate, push, publish, export, template (lantern offer help).',
    usage: async () => (await import('./offer-commands.js')).OFFER_USAGE,
    async run(args) {
      const { runOfferCommand } = await import('./offer-commands.js');
      return runOfferCommand(args);
    },
  },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(fromPackageRoot('package.json'), 'utf8')) as { version: string };
  return `lantern ${pkg.version} (Node.js ${process.versions.node})`;
}

function usage(): string {
  const commands = table(
    [...Object.values(COMMANDS).map((c) => [c.synopsis, c.summary]), ['help', 'Show this text (lantern COMMAND help: that command).'], ['--version', 'Print the version.']],
    '  ',
  );
  return `Usage: lantern <command> [options]\n\nCommands:\n${commands}\n\n${OPTIONS}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(usage());
    return 2;
  }
  if (HELP_WORDS.has(name)) {
    process.stdout.write(usage());
    return 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`Unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  if (rest[0] !== undefined && HELP_WORDS.has(rest[0])) {
    const text = await command.usage();
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    const { message, exitCode } = describeFailure(error, String(await command.usage()));
    process.stderr.write(`${message.endsWith('\n') ? message : `${message}\n`}`);
    return exitCode;
  }
}

process.exitCode = await main(process.argv.slice(2));
