/**
 * Files a person names on the command line: a missing or unreadable file, or JSON/YAML that does not
 * parse, is reported with the file and the line and column at fault.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { CliError } from './cli-errors.js';
import { jsonErrorPosition } from './json-error-position.js';

/** The text of `file`, or a CliError saying it is missing or unreadable. */
export function readInputFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${file}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${file} is a directory, not a file`);
    if (code === 'EACCES') throw new CliError(`${file}: permission denied`);
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Parses JSON, naming the file and the line and column of the first error. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const at = jsonErrorPosition(text);
    if (at === undefined) throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`);
    const before = text.slice(0, at.offset);
    throw new CliError(`${file} is not valid JSON: ${at.reason} at line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')}`);
  }
}

/** Reads and parses a JSON file, or a YAML one when its name ends in .yaml or .yml. */
export function readDataFile(file: string): unknown {
  const text = readInputFile(file);
  if (!/\.ya?ml$/i.test(file)) return parseJsonText(text, file);
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    if (error instanceof YAMLParseError && error.linePos) {
      throw new CliError(`${file} is not valid YAML: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')} at line ${error.linePos[0].line}, column ${error.linePos[0].col}`);
    }
    throw new CliError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
}
