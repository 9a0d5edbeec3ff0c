/**
 * The runnable command blocks of the docs (docs/architecture.md, "Runnable docs"): a fenced block
 * whose info string is `sh runnable` is run, as written, by a shell beside a running Lantern with the
 * demo world, in a directory whose `.lantern/` is that server's data directory. The documented
 * defaults in a block are replaced by the test server's own before it runs: the HTTPS port 8443 and
 * HTTP port 8080 of `localhost` / `127.0.0.1`, and `npx lantern` by `lantern` (on the PATH, running
 * this checkout's sources).
 */
import { spawn } from 'node:child_process';

export interface RunnableBlock {
  readonly file: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  readonly text: string;
}

export interface BlockFailure {
  readonly block: RunnableBlock;
  readonly report: string;
}

const OPENING = /^(\s*)(`{3,}|~{3,})\s*(\S+)?\s*(.*)$/;

// A closing fence: only the opening's character, at least as many times.
function closes(line: string, fence: string): boolean {
  const t = line.trim();
  return t.length >= fence.length && [...t].every((c) => c === fence[0]);
}

/** Every fenced block of `markdown` marked `runnable` in its info string, in order. */
export function runnableBlocks(file: string, markdown: string): RunnableBlock[] {
  const lines = markdown.split('\n');
  const blocks: RunnableBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPENING.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', language = '', rest = ''] = open;
    const end = lines.findIndex((l, j) => j > i && closes(l, fence));
    const close = end === -1 ? lines.length : end;
    if (rest.split(/\s+/).includes('runnable')) {
      if (language !== 'sh' && language !== 'bash') throw new Error(`${file}:${i + 1}: a runnable block must be sh or bash, not '${language}'`);
      blocks.push({ file, line: i + 1, text: lines.slice(i + 1, close).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n') });
    }
    i = close;
  }
  return blocks;
}

export interface DocsServer {
  readonly httpsPort: number;
  readonly httpPort: number;
}

/** The block's text with the documented defaults replaced by the test server's ports and command. */
export function substituted(text: string, server: DocsServer): string {
  return text
    .replace(/\b(localhost|127\.0\.0\.1):8443\b/g, `$1:${server.httpsPort}`)
    .replace(/\b(localhost|127\.0\.0\.1):8080\b/g, `$1:${server.httpPort}`)
    .replace(/\bnpx lantern\b/g, 'lantern');
}

/** Runs one block with bash (`-euo pipefail`) in `cwd`; the failure report names the file, line, exit and output. */
export function runBlock(block: RunnableBlock, server: DocsServer, options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<BlockFailure | undefined> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', substituted(block.text, server)], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(undefined);
      const why = signal === 'SIGKILL' ? `timed out after ${options.timeoutMs} ms` : `exit ${code ?? signal}`;
      const shown = output.length > 4000 ? `…${output.slice(-4000)}` : output;
      resolve({ block, report: `${block.file}:${block.line}: the runnable block failed (${why})\n--- block ---\n${block.text}\n--- output ---\n${shown}` });
    });
  });
}
