/**
 * JSON as ARM reads templates and parameter files: `//` and `/* … *\/` comments are allowed
 * (addOrReplaceTag.json has them), a trailing comma before `]` or `}` is tolerated, and a property
 * name may be a bare identifier (the az CLI sends deployment bodies as `…, template: {…}}`).
 * `__proto__`, and `prototype` inside `constructor`, are refused as JSON request bodies refuse them. Errors
 * carry the line and column; the parser also records where each value starts, so later errors
 * (a missing parameter) can point at a line like ARM does.
 */
import { DomainError } from '../errors.js';
import { MAX_NESTING_DEPTH } from '../nesting.js';
import { childPath } from './json.js';
import type { JsonObject, JsonValue } from './json.js';

export interface SourcePosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export interface ParsedJsonDocument {
  readonly value: JsonValue;
  /** Start of each value, keyed by its JSON path (`''` is the root, `parameters.x` a parameter). */
  readonly positions: ReadonlyMap<string, SourcePosition>;
}

/** Parses template or parameter-file text; throws `InvalidTemplate` with line/column on bad input. */
export function parseTemplateJson(text: string): JsonValue {
  return parseTemplateDocument(text).value;
}

/** Like `parseTemplateJson`, also returning where each value starts. */
export function parseTemplateDocument(text: string): ParsedJsonDocument {
  const parser = new Parser(text);
  return parser.document();
}

class Parser {
  private i = 0;
  private depth = 0;
  private readonly positions = new Map<string, SourcePosition>();
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let k = 0; k < text.length; k++) if (text[k] === '\n') this.lineStarts.push(k + 1);
  }

  document(): ParsedJsonDocument {
    // A UTF-8 byte-order mark is common in files saved on Windows.
    if (this.text.charCodeAt(0) === 0xfeff) this.i = 1;
    this.skip();
    const value = this.value('');
    this.skip();
    if (this.i < this.text.length) throw this.fail('', 'unexpected content after the end of the JSON value');
    return { value, positions: this.positions };
  }

  private value(path: string): JsonValue {
    this.positions.set(path, this.position(this.i));
    const c = this.text[this.i];
    if (c === '{' || c === '[') {
      if (++this.depth > MAX_NESTING_DEPTH) throw this.fail(path, `objects and arrays nest more than ${MAX_NESTING_DEPTH} levels deep`);
      const nested = c === '{' ? this.object(path) : this.array(path);
      this.depth--;
      return nested;
    }
    if (c === '"') return this.string(path);
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number(path);
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    throw this.fail(path, c === undefined ? 'unexpected end of text' : `unexpected character '${c}'`);
  }

  private object(path: string): JsonObject {
    const out: JsonObject = {};
    this.i++;
    this.skip();
    if (this.eat('}')) return out;
    for (;;) {
      this.skip();
      const key = this.propertyName(path);
      if (key === '__proto__' || (key === 'prototype' && path.split('.').at(-1) === 'constructor')) throw this.fail(path, `the property name '${key}' is not allowed`);
      this.skip();
      if (!this.eat(':')) throw this.fail(path, `expected ':' after property name '${key}'`);
      this.skip();
      out[key] = this.value(childPath(path, key));
      this.skip();
      if (this.eat('}')) return out;
      if (!this.eat(',')) throw this.fail(path, "expected ',' or '}'");
      this.skip();
      if (this.eat('}')) return out; // trailing comma
    }
  }

  private propertyName(path: string): string {
    if (this.text[this.i] === '"') return this.string(path);
    const bare = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(this.text.slice(this.i, this.i + 256));
    if (!bare) throw this.fail(path, 'expected a property name in double quotes');
    this.i += bare[0].length;
    return bare[0];
  }

  private array(path: string): JsonValue[] {
    const out: JsonValue[] = [];
    this.i++;
    this.skip();
    if (this.eat(']')) return out;
    for (;;) {
      this.skip();
      out.push(this.value(childPath(path, out.length)));
      this.skip();
      if (this.eat(']')) return out;
      if (!this.eat(',')) throw this.fail(path, "expected ',' or ']'");
      this.skip();
      if (this.eat(']')) return out; // trailing comma
    }
  }

  private string(path: string): string {
    const start = this.i;
    this.i++;
    let out = '';
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) throw this.fail(path, 'unterminated string', start);
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\\') {
        out += this.escape(path);
        continue;
      }
      if (c < ' ') throw this.fail(path, 'control character in string');
      out += c;
      this.i++;
    }
  }

  private escape(path: string): string {
    const c = this.text[this.i + 1];
    this.i += 2;
    const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    if (c !== undefined && simple[c] !== undefined) return simple[c];
    if (c === 'u') {
      const hex = this.text.slice(this.i, this.i + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.fail(path, 'bad \\u escape');
      this.i += 4;
      return String.fromCharCode(parseInt(hex, 16));
    }
    this.i -= 2;
    throw this.fail(path, `bad escape '\\${c ?? ''}'`);
  }

  private number(path: string): number {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.i));
    if (!m) throw this.fail(path, 'bad number');
    this.i += m[0].length;
    return Number(m[0]);
  }

  /** Skips whitespace and comments. */
  private skip(): void {
    for (;;) {
      const c = this.text[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        this.i++;
      } else if (c === '/' && this.text[this.i + 1] === '/') {
        while (this.i < this.text.length && this.text[this.i] !== '\n') this.i++;
      } else if (c === '/' && this.text[this.i + 1] === '*') {
        const end = this.text.indexOf('*/', this.i + 2);
        if (end < 0) throw this.fail('', 'unterminated comment');
        this.i = end + 2;
      } else {
        return;
      }
    }
  }

  private eat(c: string): boolean {
    if (this.text[this.i] !== c) return false;
    this.i++;
    return true;
  }

  private position(offset: number): SourcePosition {
    // Binary search over the line starts keeps position lookups cheap on large templates.
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.lineStarts[lo] as number) + 1 };
  }

  private fail(path: string, reason: string, at = this.i): DomainError {
    const { line, column } = this.position(at);
    return new DomainError('invalid', 'InvalidTemplate', `The JSON text is not valid: ${reason} at line ${line}, column ${column}.`, {
      target: path === '' ? '$' : path,
    });
  }
}
