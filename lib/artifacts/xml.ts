/**
 * A deliberately small XML reader for the simple metadata documents inside Ignition files (module.xml,
 * backupinfo.xml): elements, attributes, text, CDATA, comments, processing instructions. It refuses DOCTYPE
 * outright, so no entity can be declared or expanded (no billion laughs, no external entities); only the five
 * predefined entities and numeric character references are understood.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text content, entities decoded, not trimmed. */
  text: string;
}

export class XmlError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`malformed XML at line ${line}: ${reason}`);
    this.name = 'XmlError';
  }
}

const MAX_DEPTH = 64;
const NAME = /[A-Za-z_:][\w.:-]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function parseXml(source: string): XmlElement {
  return new Reader(source.replace(/^\uFEFF/, '')).document();
}

/** The first direct child called `name`. */
export function childElement(parent: XmlElement, name: string): XmlElement | undefined {
  return parent.children.find((child) => child.name === name);
}

/** Trimmed text of the first direct child called `name`; undefined when absent or blank. */
export function childText(parent: XmlElement, name: string): string | undefined {
  const text = childElement(parent, name)?.text.trim();
  return text ? text : undefined;
}

class Reader {
  private position = 0;

  constructor(private readonly source: string) {}

  document(): XmlElement {
    this.skipMisc();
    if (this.source.startsWith('<!DOCTYPE', this.position)) {
      this.fail('DOCTYPE declarations are not accepted (they can define entities)');
    }
    if (!this.source.startsWith('<', this.position)) this.fail('expected the root element');
    const root = this.element(0);
    this.skipMisc();
    if (this.position < this.source.length) this.fail('content after the root element');
    return root;
  }

  /** Whitespace, comments and processing instructions (including the XML declaration). */
  private skipMisc(): void {
    for (;;) {
      this.skipWhitespace();
      if (this.source.startsWith('<?', this.position)) this.skipPast('?>', 'processing instruction');
      else if (this.source.startsWith('<!--', this.position)) this.skipPast('-->', 'comment');
      else return;
    }
  }

  private element(depth: number): XmlElement {
    if (depth >= MAX_DEPTH) this.fail(`elements nested deeper than ${MAX_DEPTH}`);
    this.expect('<');
    const name = this.name();
    const attributes = this.attributes();
    const element: XmlElement = { name, attributes, children: [], text: '' };
    if (this.source.startsWith('/>', this.position)) {
      this.position += 2;
      return element;
    }
    this.expect('>');
    this.content(element, depth);
    return element;
  }

  private attributes(): Record<string, string> {
    const attributes: Record<string, string> = Object.create(null);
    for (;;) {
      const hadSpace = this.skipWhitespace();
      const next = this.source[this.position];
      if (next === '>' || next === '/' || next === undefined) return attributes;
      if (!hadSpace) this.fail('expected whitespace between attributes');
      const key = this.name();
      this.skipWhitespace();
      this.expect('=');
      this.skipWhitespace();
      const quote = this.source[this.position];
      if (quote !== '"' && quote !== "'") this.fail(`attribute ${key} needs a quoted value`);
      const end = this.source.indexOf(quote, this.position + 1);
      if (end < 0) this.fail(`unterminated value for attribute ${key}`);
      const raw = this.source.slice(this.position + 1, end);
      if (raw.includes('<')) this.fail(`"<" inside the value of attribute ${key}`);
      if (key in attributes) this.fail(`attribute ${key} appears twice`);
      attributes[key] = this.decode(raw);
      this.position = end + 1;
    }
  }

  private content(element: XmlElement, depth: number): void {
    for (;;) {
      const next = this.source.indexOf('<', this.position);
      if (next < 0) this.fail(`element <${element.name}> is never closed`);
      element.text += this.decode(this.source.slice(this.position, next));
      this.position = next;
      if (this.source.startsWith('</', this.position)) {
        this.position += 2;
        const closing = this.name();
        if (closing !== element.name) this.fail(`</${closing}> closes <${element.name}>`);
        this.skipWhitespace();
        this.expect('>');
        return;
      }
      if (this.source.startsWith('<!--', this.position)) this.skipPast('-->', 'comment');
      else if (this.source.startsWith('<?', this.position)) this.skipPast('?>', 'processing instruction');
      else if (this.source.startsWith('<![CDATA[', this.position)) {
        const start = this.position + 9;
        this.skipPast(']]>', 'CDATA section');
        element.text += this.source.slice(start, this.position - 3);
      } else if (this.source.startsWith('<!', this.position)) {
        this.fail('declarations inside elements are not accepted');
      } else {
        element.children.push(this.element(depth + 1));
      }
    }
  }

  private decode(raw: string): string {
    return raw.replace(/&([^;&\s]{0,10});?/g, (match, reference: string) => {
      if (!match.endsWith(';')) this.fail(`"&" must start an entity such as &amp;`);
      const predefined = PREDEFINED[reference];
      if (predefined !== undefined) return predefined;
      const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(reference);
      if (!numeric) this.fail(`unknown entity &${reference}; (only the five XML entities are accepted)`);
      const codePoint = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
      if (codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
        this.fail(`character reference &${reference}; is not a valid character`);
      }
      return String.fromCodePoint(codePoint);
    });
  }

  private name(): string {
    NAME.lastIndex = this.position;
    const match = NAME.exec(this.source);
    if (!match) this.fail('expected a name');
    this.position = NAME.lastIndex;
    return match[0];
  }

  private skipWhitespace(): boolean {
    const start = this.position;
    while (/\s/.test(this.source[this.position] ?? '')) this.position++;
    return this.position > start;
  }

  private skipPast(terminator: string, what: string): void {
    const end = this.source.indexOf(terminator, this.position);
    if (end < 0) this.fail(`unterminated ${what}`);
    this.position = end + terminator.length;
  }

  private expect(text: string): void {
    if (!this.source.startsWith(text, this.position)) this.fail(`expected "${text}"`);
    this.position += text.length;
  }

  private fail(reason: string): never {
    const line = this.source.slice(0, this.position).split('\n').length;
    throw new XmlError(line, reason);
  }
}
