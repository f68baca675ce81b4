import { HttpError } from '../errors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

type State =
  | 'root' // before the root value
  | 'key-or-end' // in the root object, before a member's key or its closing brace
  | 'key' // in a member's key (a string)
  | 'colon' // after a key
  | 'array-value' // after `"<key>":`, the array expected
  | 'skip' // in the value of a member that is not the array
  | 'element-or-end' // in the array, before an element or its closing bracket
  | 'element-start' // in the array after a comma: an element must follow
  | 'element' // in an element
  | 'comma-or-end' // in the array after an element
  | 'member-end' // in the root object after the array: a comma or the closing brace
  | 'after'; // after the root value: only white space

/** What a streamed body must look like, and the sentences that say so (defaults: a trace's events). */
export interface JsonArrayShape {
  /** Whether the array may be the root value; else only the member `key` of a root object may hold it. */
  readonly rootArray: boolean;
  /** A body of another shape. */
  readonly wrongShape: string;
  /** A member `key` that is not an array. */
  readonly notArray: string;
  /** An empty body. */
  readonly empty: string;
  /** More than one value in the body. */
  readonly extra: string;
}

/** The shape of a trace's events: an array, or an object with the array under `key`. */
function eventsShape(key: string, label: string): JsonArrayShape {
  return {
    rootArray: true,
    wrongShape: `${label} must be a JSON array of events or an object with an "${key}" array.`,
    notArray: `${label} must be a JSON array of events.`,
    empty: 'The JSON body is empty; send an array of events.',
    extra: `The JSON body holds more than one value; send one array of events or one object with an "${key}" array.`,
  };
}

/**
 * Reads a JSON array as its bytes arrive and hands over each element, parsed, as soon as it is
 * complete: the body is never held whole, neither as bytes nor as one string nor as one parsed
 * tree (only the element being read is). The array is the root value (`[...]`) or the member
 * `key` of a root object (`{"events": [...]}`; other members are skipped unread). Each element's
 * bytes are parsed with JSON.parse, so an element is exactly as valid as JSON.parse finds it;
 * between elements the reader checks the structure itself (commas, brackets, a single root).
 * A structural error is a 400 naming the position (`events[3]`), thrown by write() or end().
 * `shape` says whether a root array is accepted and words the refusals (Jira's search answer is
 * an object whose `issues` member is the array, with other members around it).
 *
 * Written for trace uploads (server/dynamics): a byte scanner of ~150 lines whose behaviour we
 * control (positions named as the analysis parser names them), rather than a dependency.
 */
export class JsonArrayStream {
  private state: State = 'root';
  private inString = false;
  private escaped = false;
  private rootIsObject = false;
  private foundArray = false;
  private keyText = '';
  /** Nesting inside the element being read, or inside the member being skipped. */
  private nesting = 0;
  /** Whether the element being read is an object or array (else a string, number or literal). */
  private composite = false;
  private parts: Buffer[] = [];
  private index = 0;

  constructor(
    private readonly key: string,
    private readonly label: string,
    private readonly onElement: (value: unknown, where: string) => void,
    private readonly shape: JsonArrayShape = eventsShape(key, label),
  ) {}

  /** Elements handed over so far. */
  get elements(): number {
    return this.index;
  }

  /** Reads the next bytes of the body. */
  write(chunk: Buffer): void {
    let start = this.state === 'element' ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.state === 'key') this.state = 'colon';
          else if (this.state === 'element' && !this.composite) {
            this.finish(chunk, start, i + 1);
            start = -1;
          }
        } else if (this.state === 'key' && this.keyText.length <= this.key.length) this.keyText += String.fromCharCode(b);
        continue;
      }
      switch (this.state) {
        case 'root':
          if (isSpace(b)) break;
          if (b === OPEN_ARRAY && this.shape.rootArray) {
            this.foundArray = true;
            this.state = 'element-or-end';
          } else if (b === OPEN_OBJECT) {
            this.rootIsObject = true;
            this.state = 'key-or-end';
          } else throw this.wrongShape();
          break;
        case 'key-or-end':
          if (isSpace(b) || b === COMMA) break;
          if (b === QUOTE) {
            this.inString = true;
            this.keyText = '';
            this.state = 'key';
          } else if (b === CLOSE_OBJECT) this.state = 'after';
          else throw this.broken('a member name');
          break;
        case 'colon':
          if (isSpace(b)) break;
          if (b !== COLON) throw this.broken('a colon after a member name');
          this.state = this.keyText === this.key && !this.foundArray ? 'array-value' : 'skip';
          this.nesting = 0;
          break;
        case 'array-value':
          if (isSpace(b)) break;
          if (b !== OPEN_ARRAY) throw new HttpError(400, this.shape.notArray);
          this.foundArray = true;
          this.state = 'element-or-end';
          break;
        case 'skip':
          if (b === QUOTE) this.inString = true;
          else if (b === OPEN_ARRAY || b === OPEN_OBJECT) this.nesting++;
          else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
            if (this.nesting === 0) {
              if (b !== CLOSE_OBJECT) throw this.broken('a value');
              this.state = 'after';
            } else this.nesting--;
          } else if (b === COMMA && this.nesting === 0) this.state = 'key-or-end';
          break;
        case 'element-or-end':
        case 'element-start':
          if (isSpace(b)) break;
          if (b === CLOSE_ARRAY && this.state === 'element-or-end') {
            this.state = this.rootIsObject ? 'member-end' : 'after';
            break;
          }
          if (b === COMMA || b === CLOSE_ARRAY || b === COLON || b === CLOSE_OBJECT) throw this.broken(`${this.label}[${this.index}]`);
          this.state = 'element';
          start = i;
          this.parts = [];
          this.composite = b === OPEN_ARRAY || b === OPEN_OBJECT;
          this.nesting = this.composite ? 1 : 0;
          if (b === QUOTE) this.inString = true;
          break;
        case 'element':
          if (this.composite) {
            if (b === QUOTE) this.inString = true;
            else if (b === OPEN_ARRAY || b === OPEN_OBJECT) this.nesting++;
            else if ((b === CLOSE_ARRAY || b === CLOSE_OBJECT) && --this.nesting === 0) {
              this.finish(chunk, start, i + 1);
              start = -1;
            }
          } else if (b === COMMA || b === CLOSE_ARRAY || isSpace(b)) {
            // a number or literal ends where the next token starts
            this.finish(chunk, start, i);
            start = -1;
            i--;
          }
          break;
        case 'comma-or-end':
          if (isSpace(b)) break;
          if (b === COMMA) this.state = 'element-start';
          else if (b === CLOSE_ARRAY) this.state = this.rootIsObject ? 'member-end' : 'after';
          else throw this.broken(`a comma or ] after ${this.label}[${this.index - 1}]`);
          break;
        case 'member-end':
          if (isSpace(b)) break;
          if (b === COMMA) {
            this.state = 'key-or-end';
          } else if (b === CLOSE_OBJECT) this.state = 'after';
          else throw this.broken(`a comma or } after the ${this.key} array`);
          break;
        case 'after':
          if (!isSpace(b)) throw new HttpError(400, this.shape.extra);
          break;
        default:
          throw this.broken('a value');
      }
    }
    if (this.state === 'element' && start >= 0) this.parts.push(chunk.subarray(start));
  }

  /** The body has ended: the root value must be complete and hold the array. */
  end(): void {
    if (this.state === 'element' && !this.composite && !this.inString) this.finish(Buffer.alloc(0), 0, 0);
    if (this.state !== 'after') {
      throw new HttpError(400, this.state === 'root' ? this.shape.empty : `The JSON body ends before ${this.foundArray ? `the ${this.label} array closes${this.index > 0 ? ` (after ${this.label}[${this.index - 1}])` : ''}` : 'its root value closes'}.`);
    }
    if (!this.foundArray) throw this.wrongShape();
  }

  private finish(chunk: Buffer, start: number, end: number): void {
    this.parts.push(chunk.subarray(start, end));
    const text = (this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts)).toString('utf8');
    this.parts = [];
    const where = `${this.label}[${this.index}]`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      throw new HttpError(400, `${where} is not valid JSON.`);
    }
    this.index++;
    this.state = 'comma-or-end';
    this.onElement(value, where);
  }

  private wrongShape(): HttpError {
    return new HttpError(400, this.shape.wrongShape);
  }

  private broken(expected: string): HttpError {
    return new HttpError(400, `The JSON body is not valid JSON: expected ${expected} at element ${this.index} of the ${this.label} array or before it.`);
  }
}
