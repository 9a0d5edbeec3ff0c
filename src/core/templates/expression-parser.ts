/**
 * The ARM template expression language: a string `"[...]"` holds one expression made of function
 * calls, single-quoted strings (`''` is a quote), integers, `true`/`false`/`null`, property access
 * `.x` and indexing `[i]`. `"[[..."` is the literal text `"[..."`.
 */
import { ExpressionError } from './template-error.js';
import type { JsonValue } from './json.js';
import { MAX_NESTING_DEPTH } from '../nesting.js';

export type ExpressionNode =
  | { readonly kind: 'constant'; readonly value: JsonValue }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly ExpressionNode[] }
  | { readonly kind: 'member'; readonly target: ExpressionNode; readonly name: string }
  | { readonly kind: 'index'; readonly target: ExpressionNode; readonly index: ExpressionNode };

/** What a template string is: a literal (escape already removed) or an expression's source text. */
export type TemplateString = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'expression'; readonly source: string };

/** Classifies a template string value per ARM's bracket rules. */
export function classifyTemplateString(value: string): TemplateString {
  if (value.startsWith('[[')) return { kind: 'literal', text: value.slice(1) };
  if (value.startsWith('[') && value.endsWith(']')) return { kind: 'expression', source: value.slice(1, -1) };
  return { kind: 'literal', text: value };
}

/** Parses the text between the outer brackets of an expression string. */
export function parseExpression(source: string): ExpressionNode {
  const p = new ExpressionParser(source);
  return p.parseAll();
}

class ExpressionParser {
  private i = 0;
  private depth = 0;

  constructor(private readonly src: string) {}

  parseAll(): ExpressionNode {
    this.ws();
    if (this.i >= this.src.length) throw new ExpressionError('the expression is empty');
    const node = this.expression();
    this.ws();
    if (this.i < this.src.length) throw this.fail(`unexpected '${this.src[this.i] ?? ''}'`);
    return node;
  }

  // Calls and indexes nest by recursion here and in evaluation, so their depth is capped.
  private expression(): ExpressionNode {
    if (++this.depth > MAX_NESTING_DEPTH) throw this.fail(`calls and indexes nest more than ${MAX_NESTING_DEPTH} levels deep`);
    const node = this.postfix();
    this.depth--;
    return node;
  }

  private postfix(): ExpressionNode {
    let node = this.primary();
    for (;;) {
      this.ws();
      const c = this.src[this.i];
      if (c === '.') {
        this.i++;
        this.ws();
        const name = this.identifier();
        if (name === '') throw this.fail('expected a property name after \'.\'');
        node = { kind: 'member', target: node, name };
      } else if (c === '[') {
        this.i++;
        this.ws();
        const index = this.expression();
        this.ws();
        if (this.src[this.i] !== ']') throw this.fail("expected ']'");
        this.i++;
        node = { kind: 'index', target: node, index };
      } else {
        return node;
      }
    }
  }

  private primary(): ExpressionNode {
    const c = this.src[this.i];
    if (c === "'") return { kind: 'constant', value: this.string() };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return { kind: 'constant', value: this.number() };
    const name = this.identifier();
    if (name === '') throw this.fail(c === undefined ? 'unexpected end of expression' : `unexpected '${c}'`);
    this.ws();
    if (this.src[this.i] !== '(') {
      const lower = name.toLowerCase();
      if (lower === 'true') return { kind: 'constant', value: true };
      if (lower === 'false') return { kind: 'constant', value: false };
      if (lower === 'null') return { kind: 'constant', value: null };
      throw this.fail(`expected '(' after function name '${name}'`);
    }
    this.i++;
    const args: ExpressionNode[] = [];
    this.ws();
    if (this.src[this.i] === ')') {
      this.i++;
      return { kind: 'call', name, args };
    }
    for (;;) {
      this.ws();
      args.push(this.expression());
      this.ws();
      const d = this.src[this.i];
      this.i++;
      if (d === ')') return { kind: 'call', name, args };
      if (d !== ',') {
        this.i--;
        throw this.fail(`expected ',' or ')' in the arguments of '${name}'`);
      }
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    let out = '';
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) {
        this.i = start;
        throw this.fail('unterminated string literal');
      }
      this.i++;
      if (c === "'") {
        if (this.src[this.i] !== "'") return out;
        this.i++;
      }
      out += c;
    }
  }

  private number(): number {
    const m = /^-?[0-9]+/.exec(this.src.slice(this.i));
    if (!m) throw this.fail('expected a number');
    this.i += m[0].length;
    if (this.src[this.i] === '.') throw this.fail('only integer literals are supported');
    return Number(m[0]);
  }

  private identifier(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.i));
    if (!m) return '';
    this.i += m[0].length;
    return m[0];
  }

  private ws(): void {
    while (this.src[this.i] === ' ' || this.src[this.i] === '\t' || this.src[this.i] === '\n' || this.src[this.i] === '\r') this.i++;
  }

  private fail(reason: string): ExpressionError {
    return new ExpressionError(`the language expression could not be parsed: ${reason} at position ${this.i}`);
  }
}
