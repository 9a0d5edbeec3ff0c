/**
 * Where strict JSON text first goes wrong, for messages that name a line and column (V8 on Node 20
 * names no position for most syntax errors).
 */

/** The offset and reason of the first syntax error in `text`, or undefined when it is valid JSON. */
export function jsonErrorPosition(text: string): { offset: number; reason: string } | undefined {
  let i = 0;
  const fail: (reason: string) => never = (reason) => {
    throw Object.assign(new Error(reason), { offset: i });
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const found = () => (i >= text.length ? 'end of file' : `'${text[i]}'`);
  const string = () => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') fail('unterminated string');
      if (c === '"') break;
      if (c === '\\') {
        i++;
        if (text[i] === 'u' ? !/^u[0-9a-fA-F]{4}$/.test(text.slice(i, i + 5)) : !'"\\/bfnrt'.includes(text[i] ?? 'x')) fail('bad escape in string');
      } else if (c < ' ') fail('control character in string');
      i++;
    }
    i++;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        space();
        if (c === '{') {
          if (text[i] !== '"') fail(`expected a property name in double quotes, found ${found()}`);
          string();
          space();
          if (text[i] !== ':') fail(`expected ':', found ${found()}`);
          i++;
        }
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail(`expected ',' or '${close}', found ${found()}`);
      }
    }
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (literal === null) fail(`unexpected ${found()}`);
    i += literal[0].length;
  };
  try {
    value();
    space();
    if (i < text.length) fail(`unexpected ${found()} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    return { offset: (error as { offset: number }).offset, reason: (error as Error).message };
  }
}
