// Regular expressions from probe assertions run on this small Thompson-NFA matcher, not
// on the platform's backtracking RegExp: matching costs O(pattern states × input
// length) whatever the pattern, so a user's `(a+)+$` cannot pin a Worker's CPU (ReDoS).
// Filtering "dangerous" patterns for RegExp instead would miss cases such as
// overlapping alternation (`(a|a)*b`); a linear engine needs no such list.
//
// Syntax: literals and escapes, `.`, classes `[a-z]`/`[^…]` with \d \w \s, anchors ^ $,
// \b \B, groups `(…)` `(?:…)` `(?<name>…)`, alternation, quantifiers * + ? {n} {n,}
// {n,m} (lazy forms accepted; only "does it match" is asked, so laziness changes
// nothing). Flags: i (ignore case), s (dot matches newline). Backreferences and
// lookaround are rejected: they cannot be matched in linear time.

export const MAX_PATTERN_LENGTH = 500;
/** Compiled NFA states; counted repetition multiplies states, so it is bounded too. */
export const MAX_STATES = 2_000;
export const MAX_REPEAT = 100;
/** Longer inputs are matched on their first MAX_INPUT characters. */
export const MAX_INPUT = 32_000;

type Test = (c: string) => boolean;
type AssertKind = "^" | "$" | "b" | "B";
type Node =
  | { k: "char"; test: Test }
  | { k: "seq"; items: Node[] }
  | { k: "alt"; options: Node[] }
  | { k: "repeat"; node: Node; min: number; max: number | null }
  | { k: "assert"; kind: AssertKind };

type State =
  | { t: "char"; test: Test; out: number }
  | { t: "split"; a: number; b: number }
  | { t: "assert"; kind: AssertKind; out: number }
  | { t: "match" };

export class RegexSyntaxError extends Error {}

const WORD: Test = (c) => /^\w$/.test(c);
const DIGIT: Test = (c) => c >= "0" && c <= "9";
const SPACE: Test = (c) => /^\s$/.test(c);
const not =
  (t: Test): Test =>
  (c) =>
    !t(c);

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly dotAll: boolean,
  ) {}

  parse(): Node {
    const node = this.alt();
    if (this.i < this.src.length) this.fail(`unmatched ")"`);
    return node;
  }

  private fail(message: string): never {
    throw new RegexSyntaxError(`${message} at position ${this.i}`);
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alt(): Node {
    const options = [this.seq()];
    while (this.peek() === "|") {
      this.i++;
      options.push(this.seq());
    }
    return options.length === 1 && options[0] ? options[0] : { k: "alt", options };
  }

  private seq(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== "|" && c !== ")"; c = this.peek()) {
      items.push(this.quantified());
    }
    return items.length === 1 && items[0] ? items[0] : { k: "seq", items };
  }

  private quantified(): Node {
    let node = this.atom();
    for (;;) {
      const q = this.quantifier();
      if (!q) return node;
      if (node.k === "assert") this.fail("nothing to repeat");
      if (this.peek() === "?") this.i++;
      node = { k: "repeat", node, ...q };
    }
  }

  private quantifier(): { min: number; max: number | null } | null {
    const c = this.peek();
    const simple = c === "*" ? [0, null] : c === "+" ? [1, null] : c === "?" ? [0, 1] : null;
    if (simple) {
      this.i++;
      return { min: simple[0] ?? 0, max: simple[1] ?? null };
    }
    if (c !== "{") return null;
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
    if (!m) return null; // a literal "{", as in JS without the u flag
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === "" ? null : Number(m[3]);
    if (min > MAX_REPEAT || (max !== null && max > MAX_REPEAT))
      this.fail(`repetition above {${MAX_REPEAT}}`);
    if (max !== null && max < min) this.fail("repetition {n,m} with m < n");
    this.i += m[0].length;
    return { min, max };
  }

  private atom(): Node {
    const c = this.src[this.i++];
    switch (c) {
      case "(":
        return this.group();
      case "[":
        return { k: "char", test: this.charClass() };
      case ".":
        return { k: "char", test: this.dotAll ? () => true : (x) => x !== "\n" && x !== "\r" };
      case "^":
      case "$":
        return { k: "assert", kind: c };
      case "\\":
        return this.escape(false);
      case "*":
      case "+":
      case "?":
        this.i--;
        return this.fail("nothing to repeat");
      case undefined:
        return this.fail("unexpected end");
      default:
        return { k: "char", test: (x) => x === c };
    }
  }

  private group(): Node {
    if (this.peek() === "?") {
      const rest = this.src.slice(this.i, this.i + 3);
      if (rest.startsWith("?:")) this.i += 2;
      else if (/^\?<[A-Za-z_]/.test(rest)) {
        const close = this.src.indexOf(">", this.i);
        if (close < 0) this.fail("unterminated group name");
        this.i = close + 1;
      } else this.fail("lookaround is not supported (it cannot run in linear time)");
    }
    const node = this.alt();
    if (this.src[this.i++] !== ")") this.fail(`missing ")"`);
    return node;
  }

  /** An escape outside (inClass = false) or inside a class; \b means backspace in a class. */
  private escape(inClass: boolean): Node & { k: "char" | "assert" } {
    const c = this.src[this.i++];
    if (c === undefined) this.fail("trailing backslash");
    const char = (test: Test) => ({ k: "char" as const, test });
    switch (c) {
      case "d":
        return char(DIGIT);
      case "D":
        return char(not(DIGIT));
      case "w":
        return char(WORD);
      case "W":
        return char(not(WORD));
      case "s":
        return char(SPACE);
      case "S":
        return char(not(SPACE));
      case "b":
        return inClass ? char((x) => x === "\b") : { k: "assert", kind: "b" };
      case "B":
        if (inClass) this.fail("\\B in a class");
        return { k: "assert", kind: "B" };
      case "n":
        return char((x) => x === "\n");
      case "r":
        return char((x) => x === "\r");
      case "t":
        return char((x) => x === "\t");
      case "f":
        return char((x) => x === "\f");
      case "v":
        return char((x) => x === "\v");
      case "0":
        return char((x) => x === "\0");
      case "x":
      case "u": {
        const len = c === "x" ? 2 : 4;
        const hex = this.src.slice(this.i, this.i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail(`bad \\${c} escape`);
        this.i += len;
        const ch = String.fromCharCode(Number.parseInt(hex, 16));
        return char((x) => x === ch);
      }
      default:
        if (/[1-9]/.test(c)) this.fail("backreferences are not supported");
        if (/[A-Za-z]/.test(c)) this.fail(`unknown escape \\${c}`);
        return char((x) => x === c);
    }
  }

  private classAtom(): Test {
    const c = this.src[this.i++];
    if (c === undefined) this.fail("unterminated character class");
    if (c === "\\") {
      const node = this.escape(true);
      if (node.k !== "char") this.fail("assertion in a character class");
      return node.test;
    }
    return (x) => x === c;
  }

  private charClass(): Test {
    const negate = this.peek() === "^";
    if (negate) this.i++;
    const tests: Test[] = [];
    while (this.peek() !== "]") {
      if (this.peek() === undefined) this.fail("unterminated character class");
      const start = this.i;
      const lo = this.src[start] === "\\" ? null : this.src[start];
      const test = this.classAtom();
      // A range a-z: both ends single characters; "-" before "]" is a literal.
      if (lo !== null && lo !== undefined && this.peek() === "-" && this.src[this.i + 1] !== "]") {
        const hiChar = this.src[this.i + 1];
        if (hiChar !== undefined && hiChar !== "\\" && hiChar !== "[") {
          if (hiChar < lo) this.fail("range out of order in character class");
          this.i += 2;
          tests.push((x) => x >= lo && x <= hiChar);
          continue;
        }
      }
      tests.push(test);
    }
    this.i++;
    const any: Test = (x) => tests.some((t) => t(x));
    return negate ? not(any) : any;
  }
}

export interface CompiledRegex {
  states: State[];
  start: number;
}

export const REGEX_FLAGS = /^[is]*$/;

/** Compiles a pattern; throws RegexSyntaxError with a message fit for an API answer. */
export function compileRegex(pattern: string, flags = ""): CompiledRegex {
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw new RegexSyntaxError(`pattern longer than ${MAX_PATTERN_LENGTH} characters`);
  if (!REGEX_FLAGS.test(flags)) throw new RegexSyntaxError(`flags may only be "i" and "s"`);
  const ast = new Parser(pattern, flags.includes("s")).parse();
  const ignoreCase = flags.includes("i");
  const states: State[] = [{ t: "match" }];
  const push = (s: State): number => {
    if (states.length >= MAX_STATES)
      throw new RegexSyntaxError(`pattern too large (over ${MAX_STATES} states)`);
    states.push(s);
    return states.length - 1;
  };
  // Builds the states for `node` ending in `next`, back to front; returns its entry.
  const build = (node: Node, next: number): number => {
    switch (node.k) {
      case "char": {
        const t = node.test;
        const test: Test = ignoreCase ? (c) => t(c) || t(c.toLowerCase()) || t(c.toUpperCase()) : t;
        return push({ t: "char", test, out: next });
      }
      case "assert":
        return push({ t: "assert", kind: node.kind, out: next });
      case "seq":
        return node.items.reduceRight((out, item) => build(item, out), next);
      case "alt":
        return node.options
          .map((o) => build(o, next))
          .reduceRight((b, a) => push({ t: "split", a, b }));
      case "repeat": {
        let out = next;
        if (node.max === null) {
          // A loop: split → body → back to split, or on to `next`.
          const loop = push({ t: "split", a: -1, b: next });
          const body = build(node.node, loop);
          states[loop] = { t: "split", a: body, b: next };
          out = loop;
        } else {
          for (let i = node.min; i < node.max; i++)
            out = push({ t: "split", a: build(node.node, out), b: next });
        }
        for (let i = 0; i < node.min; i++) out = build(node.node, out);
        return out;
      }
    }
  };
  // NOTE: "optional" copies above skip straight to `next`, so x{1,3} builds
  // x (x (x)?)? rather than x x? x?: same language, fewer paths.
  const start = build(ast, 0);
  return { states, start };
}

const isWord = (c: string | undefined) => c !== undefined && WORD(c);

/** Whether the pattern matches anywhere in the input (RegExp.test semantics), in linear time. */
export function regexTest(re: CompiledRegex, input: string): boolean {
  const chars = Array.from(input.length > MAX_INPUT ? input.slice(0, MAX_INPUT) : input);
  const { states } = re;
  const mark = new Int32Array(states.length).fill(-1);
  let gen = 0;
  let found = false;
  const holds = (kind: AssertKind, pos: number): boolean => {
    switch (kind) {
      case "^":
        return pos === 0;
      case "$":
        return pos === chars.length;
      case "b":
        return isWord(chars[pos - 1]) !== isWord(chars[pos]);
      case "B":
        return isWord(chars[pos - 1]) === isWord(chars[pos]);
    }
  };
  const add = (list: number[], s: number, pos: number): void => {
    // Iterative closure: deep split chains must not overflow the stack.
    const stack = [s];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      if (mark[i] === gen) continue;
      mark[i] = gen;
      const st = states[i];
      if (!st) continue;
      if (st.t === "match") found = true;
      else if (st.t === "split") stack.push(st.b, st.a);
      else if (st.t === "assert") {
        if (holds(st.kind, pos)) stack.push(st.out);
      } else list.push(i);
    }
  };
  let current: number[] = [];
  for (let pos = 0; ; pos++) {
    add(current, re.start, pos);
    if (found) return true;
    if (pos === chars.length) return false;
    const c = chars[pos] as string;
    const next: number[] = [];
    gen++;
    for (const i of current) {
      const st = states[i];
      if (st?.t === "char" && st.test(c)) add(next, st.out, pos + 1);
    }
    if (found) return true;
    current = next;
  }
}
