const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /^(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/;

/**
 * Where JSON text first breaks the grammar, for the line and column of a syntax error:
 * JSON.parse names the offset for some errors only ("Unexpected token" has none).
 * Null when the text is valid, or nested too deep to scan.
 */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const fail = (): never => {
    throw new JsonSyntaxAt(Math.min(i, text.length));
  };
  const skip = () => {
    while (i < text.length && WHITESPACE.has(text[i] as string)) i += 1;
  };
  const string = () => {
    i += 1;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '"') {
        i += 1;
        return;
      }
      if (c === '\\') {
        i += 1;
        if (ESCAPE.test(text.slice(i, i + 5))) i += text[i] === 'u' ? 5 : 1;
        else fail();
      } else if (c < ' ') fail();
      else i += 1;
    }
    fail();
  };
  const value = (): void => {
    skip();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i += 1;
      skip();
      if (text[i] === close) {
        i += 1;
        return;
      }
      for (;;) {
        if (c === '{') {
          skip();
          if (text[i] !== '"') fail();
          string();
          skip();
          if (text[i] !== ':') fail();
          i += 1;
        }
        value();
        skip();
        if (text[i] === ',') i += 1;
        else if (text[i] === close) {
          i += 1;
          return;
        } else fail();
      }
    }
    if (c === '"') return string();
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number) {
      i += number[0].length;
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    fail();
  };
  try {
    value();
    skip();
    if (i < text.length) fail();
    return null;
  } catch (error) {
    if (error instanceof JsonSyntaxAt) return error.offset;
    if (error instanceof RangeError) return null;
    throw error;
  }
}

class JsonSyntaxAt {
  constructor(readonly offset: number) {}
}
