/** The command line of a `lantern` subcommand: its positionals, value flags, switches and configuration flags. */
import { UsageError } from './cli-errors.js';

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string>;
  readonly switches: Set<string>;
  /** Configuration flags (`--data-dir DIR` …) for `loadConfig`, when the spec passes them through. */
  readonly config: string[];
}

export interface ArgsSpec {
  /** Flags that take a value (`--name VALUE` or `--name=VALUE`). */
  readonly values?: readonly string[];
  readonly switches?: readonly string[];
  /** Pass any other `--flag [VALUE]` through as configuration; otherwise it is a usage error. */
  readonly config?: boolean;
}

/** Splits `args` by `spec`. */
export function parseArgs(args: readonly string[], spec: ArgsSpec): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], flags: new Map(), switches: new Set(), config: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [name, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (spec.switches?.includes(name)) parsed.switches.add(name);
    else if (spec.values?.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      parsed.flags.set(name, value);
    } else if (name.startsWith('--')) {
      if (spec.config !== true) throw new UsageError(`unknown option ${name}`);
      parsed.config.push(arg);
      if (inline === undefined && i + 1 < args.length) parsed.config.push(args[++i] as string);
    } else parsed.positionals.push(arg);
  }
  return parsed;
}
