// Words as Docker and the shell read them, for the build replay (test/helpers/docker-replay.ts):
//
// - `expandDockerWord`: the substitution Docker itself applies to the arguments of ENV, ARG,
//   COPY, WORKDIR and FROM: quotes removed, `$VAR` / `${VAR}` (and `${VAR:-word}`, `${VAR:+word}`,
//   `${VAR-word}`, `${VAR+word}`, `${VAR:?message}`) replaced, an unset variable being empty.
// - `shellTokens`: a shell-form RUN line as /bin/sh would split it, so the replay can run each
//   command of an `a && b` chain itself. Only what the replay can honour is accepted: words,
//   quotes, variable expansion and `&&`. Any other shell syntax (`;`, `||`, pipes, redirections,
//   `$(...)`, backquotes, a value that would be split into several words) is an error naming
//   it, never a guess.

export type Vars = ReadonlyMap<string, string>;

export type ShellToken =
  | { kind: 'word'; value: string; /** an unquoted `*`, `?` or `[`: the shell would glob it */ glob: boolean }
  | { kind: 'op'; value: string };

export class WordError extends Error {}

/** Docker's variable substitution in one instruction argument (quotes removed). */
export function expandDockerWord(text: string, vars: Vars, escape = '\\'): string {
  const lexer = new Lexer(text, vars, escape, false);
  return lexer.word();
}

/** A shell-form command line split into words and operators, with `$VAR` expanded from `vars`. */
export function shellTokens(text: string, vars: Vars): ShellToken[] {
  const lexer = new Lexer(text, vars, '\\', true);
  return lexer.tokens();
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const OPERATORS = ['&&', '||', ';;', '>>', '<<', '>&', '<&', '|', '&', ';', '>', '<', '(', ')'];

class Lexer {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly vars: Vars,
    private readonly escape: string,
    private readonly shell: boolean,
  ) {}

  /** The whole text as one word (Docker mode: white space is kept as it is). */
  word(): string {
    let out = '';
    while (this.pos < this.text.length) out += this.piece().value;
    return out;
  }

  tokens(): ShellToken[] {
    const tokens: ShellToken[] = [];
    for (;;) {
      while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
      if (this.pos >= this.text.length) return tokens;
      const op = OPERATORS.find((o) => this.text.startsWith(o, this.pos));
      if (op) {
        this.pos += op.length;
        tokens.push({ kind: 'op', value: op });
        continue;
      }
      if (this.text[this.pos] === '#') throw new WordError(`a shell comment (${this.text.slice(this.pos)})`);
      // One word: pieces up to white space or an operator.
      let value = '';
      let glob = false;
      let onlyEmptyExpansions = true;
      while (this.pos < this.text.length && !/\s/.test(this.text[this.pos]!) && !OPERATORS.some((o) => this.text.startsWith(o, this.pos))) {
        const piece = this.piece();
        value += piece.value;
        glob ||= piece.glob;
        if (!piece.unquotedExpansion || piece.value !== '') onlyEmptyExpansions = false;
        if (piece.unquotedExpansion && /\s/.test(piece.value)) {
          throw new WordError(`an unquoted expansion with white space in it ("${piece.value}"): the shell would split it into several words`);
        }
      }
      // An unquoted expansion of an empty value is no word at all, as in sh.
      if (!onlyEmptyExpansions) tokens.push({ kind: 'word', value, glob });
    }
  }

  /** One piece of a word: a quoted string, an escaped character, an expansion or a plain character. */
  private piece(): { value: string; glob: boolean; unquotedExpansion: boolean } {
    const ch = this.text[this.pos]!;
    if (ch === "'") return { value: this.singleQuoted(), glob: false, unquotedExpansion: false };
    if (ch === '"') return { value: this.doubleQuoted(), glob: false, unquotedExpansion: false };
    if (ch === this.escape) {
      this.pos++;
      const next = this.text[this.pos];
      if (next === undefined) return { value: this.shell ? '' : this.escape, glob: false, unquotedExpansion: false };
      this.pos++;
      return { value: next, glob: false, unquotedExpansion: false };
    }
    if (ch === '$') return { value: this.dollar(), glob: false, unquotedExpansion: true };
    if (this.shell && ch === '`') throw new WordError('a command substitution (`...`)');
    this.pos++;
    return { value: ch, glob: this.shell && (ch === '*' || ch === '?' || ch === '['), unquotedExpansion: false };
  }

  private singleQuoted(): string {
    const end = this.text.indexOf("'", this.pos + 1);
    if (end < 0) throw new WordError(`an unterminated single quote in ${this.text}`);
    const value = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return value;
  }

  private doubleQuoted(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) throw new WordError(`an unterminated double quote in ${this.text}`);
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch === this.escape && ['"', '$', this.escape, '`'].includes(this.text[this.pos + 1] ?? '')) {
        out += this.text[this.pos + 1];
        this.pos += 2;
      } else if (ch === '$') {
        out += this.dollar();
      } else if (this.shell && ch === '`') {
        throw new WordError('a command substitution (`...`)');
      } else {
        out += ch;
        this.pos++;
      }
    }
  }

  /** `$NAME`, `${NAME}` or `${NAME<op>word}`; `this.pos` is on the `$`. */
  private dollar(): string {
    const start = this.pos;
    this.pos++;
    const next = this.text[this.pos];
    if (next === '{') {
      this.pos++;
      const name = this.name();
      if (!name) throw new WordError(`a bad substitution in ${this.text.slice(start)}`);
      if (this.text[this.pos] === '}') {
        this.pos++;
        return this.vars.get(name) ?? '';
      }
      const op = /^(:-|:\+|:\?|-|\+|\?)/.exec(this.text.slice(this.pos))?.[1];
      if (!op) throw new WordError(`a substitution the replay does not know (${this.text.slice(start)})`);
      this.pos += op.length;
      const close = this.closingBrace();
      const inner = this.text.slice(this.pos, close);
      this.pos = close + 1;
      const value = this.vars.get(name);
      const set = op.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
      const word = () => new Lexer(inner, this.vars, this.escape, false).word();
      switch (op.replace(':', '')) {
        case '-':
          return set ? value! : word();
        case '+':
          return set ? word() : '';
        default:
          if (!set) throw new WordError(`${name}: ${word() || 'parameter not set'}`);
          return value!;
      }
    }
    const name = this.name();
    if (name) return this.vars.get(name) ?? '';
    if (this.shell && next !== undefined && /[0-9@*#?$!(-]/.test(next)) {
      throw new WordError(`a shell expansion the replay does not interpret ($${next}...)`);
    }
    return '$';
  }

  private name(): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.text);
    if (!match) return '';
    this.pos += match[0].length;
    return match[0];
  }

  private closingBrace(): number {
    let depth = 0;
    for (let i = this.pos; i < this.text.length; i++) {
      if (this.text[i] === this.escape) i++;
      else if (this.text[i] === '{') depth++;
      else if (this.text[i] === '}' && depth-- === 0) return i;
    }
    throw new WordError(`a missing } in ${this.text}`);
  }
}
