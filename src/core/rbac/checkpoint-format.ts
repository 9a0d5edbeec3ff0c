/**
 * The byte layout of an engine checkpoint: a header (magic, format, payload length, checksum) and
 * a run of sections read back in the order they were written. Everything is 32-bit words, so int
 * tables go in and out as one copy each; string lists are stored one byte per character when they
 * are ASCII (ids and scopes nearly always are; decoded natively), else as UTF-16 code units, with a
 * length per string.
 */
import { invalid } from '../errors.js';

const MAGIC = 0x4b43524c; // "LRCK"
/** Bumped whenever the layout changes: a checkpoint of another format is refused, not misread. */
export const CHECKPOINT_FORMAT = 1;
const HEADER_WORDS = 4;
const OFFSET = 0x811c9dc5;
const PRIME = 0x01000193;
const ascii = new TextDecoder('ascii');

/** Collects sections, then lays them out with the header. */
export class CheckpointWriter {
  private readonly sections: Uint32Array[] = [];
  private words = 0;

  /** Adds an int table (its length goes with it). */
  ints(values: Int32Array | Uint32Array): this {
    const section = new Uint32Array(1 + values.length);
    section[0] = values.length;
    section.set(values, 1);
    return this.push(section);
  }

  /** Adds a list of strings. */
  strings(values: readonly string[]): this {
    let chars = 0;
    let wide = false;
    for (const s of values) {
      chars += s.length;
      for (let i = 0; i < s.length && !wide; i++) wide = s.charCodeAt(i) > 127;
    }
    const bytes = wide ? chars * 2 : chars;
    const section = new Uint32Array(3 + values.length + Math.ceil(bytes / 4));
    section[0] = values.length;
    section[1] = wide ? 1 : 0;
    section[2] = chars;
    const text = wide ? new Uint16Array(section.buffer, (3 + values.length) * 4, chars) : new Uint8Array(section.buffer, (3 + values.length) * 4, chars);
    let at = 0;
    values.forEach((s, k) => {
      section[3 + k] = s.length;
      for (let i = 0; i < s.length; i++) text[at++] = s.charCodeAt(i);
    });
    return this.push(section);
  }

  /** The checkpoint's bytes. */
  finish(): Uint8Array {
    const out = new Uint32Array(HEADER_WORDS + this.words);
    let at = HEADER_WORDS;
    for (const section of this.sections) {
      out.set(section, at);
      at += section.length;
    }
    out[0] = MAGIC;
    out[1] = CHECKPOINT_FORMAT;
    out[2] = this.words;
    out[3] = checksum(out, HEADER_WORDS, out.length);
    return new Uint8Array(out.buffer);
  }

  private push(section: Uint32Array): this {
    this.sections.push(section);
    this.words += section.length;
    return this;
  }
}

/** Reads sections back in order; every read is bounds-checked, and damage of any kind throws InvalidCheckpoint. */
export class CheckpointReader {
  private readonly words: Uint32Array;
  private at = HEADER_WORDS;

  constructor(bytes: Uint8Array) {
    if (bytes.byteLength < HEADER_WORDS * 4 || bytes.byteLength % 4 !== 0) throw damaged(`its length (${bytes.byteLength} bytes) is not a whole number of words`);
    // A view needs 4-byte alignment; bytes handed over by a database driver may sit anywhere in a buffer.
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    this.words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
    const w = this.words;
    if (w[0] !== MAGIC) throw damaged('it does not start with the checkpoint magic');
    if (w[1] !== CHECKPOINT_FORMAT) throw damaged(`its format is ${w[1]}, this engine reads format ${CHECKPOINT_FORMAT}`);
    if (w[2] !== w.length - HEADER_WORDS) throw damaged(`it says ${w[2]} payload words but holds ${w.length - HEADER_WORDS}`);
    if (w[3] !== checksum(w, HEADER_WORDS, w.length)) throw damaged('its checksum does not match its contents');
  }

  /** The next int table, as a fresh array. */
  ints(): Int32Array<ArrayBuffer> {
    const length = this.word();
    return new Int32Array(this.take(length));
  }

  /** The next int table, unsigned. */
  uints(): Uint32Array<ArrayBuffer> {
    const length = this.word();
    return this.take(length).slice();
  }

  /** The next list of strings. */
  strings(): string[] {
    const count = this.word();
    const wide = this.word() === 1;
    const chars = this.word();
    const lengths = this.take(count);
    const body = this.take(Math.ceil((wide ? chars * 2 : chars) / 4));
    const text = new Uint8Array(body.buffer, body.byteOffset, chars);
    const units = new Uint16Array(body.buffer, body.byteOffset, wide ? chars : 0);
    const out = new Array<string>(count);
    let at = 0;
    for (let k = 0; k < count; k++) {
      const end = at + (lengths[k] as number);
      if (end > chars) throw damaged('a string runs past its section');
      // Each string decoded on its own, so none is a slice pinning the whole section.
      out[k] = wide ? charsOf(units, at, end) : ascii.decode(text.subarray(at, end));
      at = end;
    }
    if (at !== chars) throw damaged('a string section has characters no string owns');
    return out;
  }

  /** Throws unless every section has been read. */
  end(): void {
    if (this.at !== this.words.length) throw damaged(`${this.words.length - this.at} words follow the last section`);
  }

  private word(): number {
    return this.take(1)[0] as number;
  }

  private take(length: number): Uint32Array {
    if (length > this.words.length - this.at) throw damaged('a section runs past the end');
    const view = this.words.subarray(this.at, this.at + length);
    this.at += length;
    return view;
  }
}

/** The InvalidCheckpoint error, saying what is wrong with the bytes. */
export function damaged(what: string): Error {
  return invalid('InvalidCheckpoint', `The engine checkpoint cannot be used: ${what}.`, 'checkpoint');
}

// A flat string of the UTF-16 code units text[start, end), lone surrogates kept (fromCharCode takes a bounded number of arguments per call).
function charsOf(text: Uint16Array, start: number, end: number): string {
  if (end - start <= 4096) return String.fromCharCode(...text.subarray(start, end));
  let out = '';
  for (let i = start; i < end; i += 4096) out += String.fromCharCode(...text.subarray(i, Math.min(end, i + 4096)));
  return out;
}

function checksum(words: Uint32Array, start: number, end: number): number {
  let h = OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (words[i] as number), PRIME);
  return h >>> 0;
}
