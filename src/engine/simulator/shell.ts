/**
 * Command injection prover for strings handed to a POSIX shell (`exec`, `execSync`, `spawn` with
 * `shell: true`). A small tokenizer follows the shell's quoting rules (single and double quotes,
 * backslashes, comments) and its control operators (`;` `&&` `||` `|` `&` newlines, subshells,
 * `$(…)` and backtick substitution, redirections, here-documents) to list the commands a line
 * would run, without expanding or running anything. The attack is proven when it runs a command
 * the benign line does not.
 *
 * Known simplifications: here-document bodies are read as literal text (an unquoted delimiter
 * would expand `$(…)` in them); `case … in pattern)` inside `$(…)` ends the substitution early;
 * reserved words (`if`, `for`…) count as command names, the same in both renderings.
 */
import { added, shorten, type Analysis, type Change, type Prover } from "./prover";

export interface ShellCommand {
  /** The command word after any NAME=value assignments, quotes removed ("" for an empty word). */
  name: string;
  args: number;
  /** The command word and its arguments, quotes removed (substitutions read as `$(…)`), for comparing argument lists. */
  argv: string[];
  /** What put it there: "start", ";", "&&", "||", "|", "&", "newline", "(", "$(", "`", "<(". */
  via: string;
}

export interface ShellStructure {
  commands: ShellCommand[];
  substitutions: number;
}

/** The quoting state a text ends in, for hole-context detection. */
export type ShellMode = "unquoted" | "single" | "double" | "comment";

const MAX_NESTING = 32;
const MAX_NAME = 40;

export const SHELL_PARSER = { name: "pci-auditor-shell-tokenizer", version: "1" } as const;

/** A prover for text run by `sh -c`. */
export function createShellProver(): Prover<ShellStructure> {
  return { parser: { ...SHELL_PARSER }, analyze: analyzeShell, compare: compareShell };
}

function analyzeShell(text: string): Analysis<ShellStructure> {
  const scanner = new ShellScanner(text, 0);
  scanner.run();
  if (scanner.error) return { ok: false, message: scanner.error };
  const structure: ShellStructure = { commands: scanner.commands, substitutions: scanner.substitutions };
  return { ok: true, structure, summary: summarize(structure) };
}

/** The quoting state at the end of `text` (the text before a hole). */
export function shellEndMode(text: string): ShellMode {
  const scanner = new ShellScanner(text, 0);
  scanner.run();
  return scanner.end;
}

function compareShell(benign: ShellStructure, attack: ShellStructure): Change[] {
  const changes: Change[] = [];
  const names = (s: ShellStructure): string[] => s.commands.map((c) => c.name);
  const extra = added(names(benign), names(attack));
  for (const name of new Set(extra)) {
    const command = [...attack.commands].reverse().find((c) => c.name === name)!;
    changes.push({ rank: 3, words: `a new command \`${name === "" ? "''" : name}\` runs ${VIA_WORDS[command.via] ?? `after ${command.via}`}` });
  }
  if (extra.length === 0 && attack.substitutions > benign.substitutions) {
    changes.push({ rank: 2, words: "a new command substitution runs" });
  }
  return changes;
}

const VIA_WORDS: Record<string, string> = {
  start: "first",
  ";": "after ';'",
  "&&": "after '&&'",
  "||": "after '||'",
  "|": "reading the output of a pipe '|'",
  "&": "after a background '&'",
  newline: "after a newline",
  "(": "in a subshell",
  "$(": "inside a $(…) command substitution",
  "`": "inside a `…` command substitution",
  "<(": "inside a process substitution",
};

function summarize(s: ShellStructure): string {
  const n = s.commands.length;
  const list = s.commands
    .slice(0, 12)
    .map((c) => `${c.name === "" ? "''" : c.name} (${c.args} arg${c.args === 1 ? "" : "s"})${c.via === "start" ? "" : " " + (VIA_WORDS[c.via] ?? c.via)}`)
    .join("; ");
  return `${n} command${n === 1 ? "" : "s"}: ${list}${n > 12 ? "; …" : ""}`;
}

/** Reads shell text into commands; stops at the first syntax error. */
class ShellScanner {
  readonly commands: ShellCommand[] = [];
  substitutions = 0;
  end: ShellMode = "unquoted";
  error: string | undefined;
  private i = 0;
  private readonly heredocs: Array<{ delimiter: string; stripTabs: boolean }> = [];

  constructor(
    private readonly s: string,
    private readonly depth: number,
  ) {}

  run(): void {
    this.list(false, "start", this.depth);
  }

  private fail(mode: ShellMode, message: string): void {
    if (this.error) return;
    this.end = mode;
    this.error = message;
    this.i = this.s.length;
  }

  /** Commands until the end of the text, or until ")" when `inParens`. */
  private list(inParens: boolean, firstVia: string, depth: number): void {
    if (depth > MAX_NESTING) return this.fail("unquoted", "nesting too deep");
    const s = this.s;
    const n = s.length;
    let via = firstVia;
    let words: string[] = [];
    let word = "";
    let inWord = false;
    // After a redirection operator the next word is its target, not an argument.
    let target: "" | "file" | "heredoc" | "heredoc-strip" = "";
    const endWord = (): void => {
      if (!inWord) return;
      if (target === "heredoc" || target === "heredoc-strip") this.heredocs.push({ delimiter: word, stripTabs: target === "heredoc-strip" });
      else if (target === "") words.push(word);
      target = "";
      word = "";
      inWord = false;
    };
    const endCommand = (next: string): void => {
      endWord();
      this.addCommand(words, via);
      words = [];
      via = next;
    };
    while (this.i < n && !this.error) {
      const ch = s[this.i]!;
      const next = s[this.i + 1];
      if (ch === " " || ch === "\t") {
        endWord();
        this.i++;
      } else if (ch === "\n") {
        endCommand("newline");
        this.i++;
        this.readHeredocs();
      } else if (ch === "#" && !inWord) {
        const nl = s.indexOf("\n", this.i);
        if (nl < 0) {
          this.end = "comment";
          this.i = n;
        } else this.i = nl;
      } else if (ch === "\\") {
        if (next === "\n") this.i += 2;
        else {
          word += next ?? "";
          inWord = true;
          this.i += 2;
        }
      } else if (ch === "'") {
        const close = s.indexOf("'", this.i + 1);
        if (close < 0) return this.fail("single", "unterminated single quote");
        word += s.slice(this.i + 1, close);
        inWord = true;
        this.i = close + 1;
      } else if (ch === '"') {
        word += this.doubleQuoted(depth);
        inWord = true;
      } else if (ch === "`") {
        this.backtick(depth);
        word += "`…`";
        inWord = true;
      } else if (ch === "$" && next === "(") {
        if (s[this.i + 2] === "(") this.skipBalanced(this.i + 1, "(", ")");
        else {
          this.i += 2;
          this.substitutions++;
          this.list(true, "$(", depth + 1);
        }
        word += "$(…)";
        inWord = true;
      } else if (ch === "$" && next === "{") {
        this.skipBalanced(this.i + 1, "{", "}");
        word += "${…}";
        inWord = true;
      } else if (ch === ";") {
        endCommand(";");
        this.i += next === ";" ? 2 : 1;
      } else if (ch === "&" && next === "&") {
        endCommand("&&");
        this.i += 2;
      } else if (ch === "&" && next === ">") {
        endWord();
        this.i += s[this.i + 2] === ">" ? 3 : 2;
        target = "file";
      } else if (ch === "&") {
        endCommand("&");
        this.i++;
      } else if (ch === "|") {
        endCommand(next === "|" ? "||" : "|");
        this.i += next === "|" || next === "&" ? 2 : 1;
      } else if (ch === "(") {
        endCommand("(");
        this.i++;
        this.list(true, "(", depth + 1);
      } else if (ch === ")") {
        if (!inParens) return this.fail("unquoted", "unexpected ')'");
        endCommand("");
        this.i++;
        return;
      } else if ((ch === "<" || ch === ">") && next === "(") {
        this.i += 2;
        this.substitutions++;
        this.list(true, "<(", depth + 1);
        word += "<(…)";
        inWord = true;
      } else if (ch === "<" || ch === ">") {
        // A file-descriptor number right before the operator belongs to it ("2>&1").
        if (inWord && /^[0-9]+$/.test(word)) {
          word = "";
          inWord = false;
        } else endWord();
        const op = /^(?:<<<|<<-|<<|<>|<&|>>|>&|>\||<|>)/.exec(s.slice(this.i, this.i + 3))![0];
        this.i += op.length;
        target = op === "<<" ? "heredoc" : op === "<<-" ? "heredoc-strip" : "file";
      } else {
        word += ch;
        inWord = true;
        this.i++;
      }
    }
    if (this.error) return;
    endCommand("");
    if (inParens) this.fail("unquoted", "unterminated '(' or '$('");
  }

  private addCommand(words: string[], via: string): void {
    let k = 0;
    while (k < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]!)) k++;
    if (k >= words.length) return;
    this.commands.push({ name: shorten(words[k]!, MAX_NAME), args: words.length - k - 1, argv: words.slice(k), via });
  }

  /** Reads a double-quoted word from the opening quote; substitutions inside it still run. */
  private doubleQuoted(depth: number): string {
    const s = this.s;
    let out = "";
    this.i++;
    while (this.i < s.length && !this.error) {
      const ch = s[this.i]!;
      if (ch === '"') {
        this.i++;
        return out;
      }
      if (ch === "\\") {
        out += s[this.i + 1] ?? "";
        this.i += 2;
      } else if (ch === "$" && s[this.i + 1] === "(") {
        if (s[this.i + 2] === "(") this.skipBalanced(this.i + 1, "(", ")");
        else {
          this.i += 2;
          this.substitutions++;
          this.list(true, "$(", depth + 1);
        }
        out += "$(…)";
      } else if (ch === "$" && s[this.i + 1] === "{") {
        this.skipBalanced(this.i + 1, "{", "}");
        out += "${…}";
      } else if (ch === "`") {
        this.backtick(depth);
        out += "`…`";
      } else {
        out += ch;
        this.i++;
      }
    }
    this.fail("double", "unterminated double quote");
    return out;
  }

  /** Reads a backtick substitution and scans its (unescaped) body as a command list. */
  private backtick(depth: number): void {
    const s = this.s;
    let j = this.i + 1;
    while (j < s.length && s[j] !== "`") j += s[j] === "\\" ? 2 : 1;
    const body = s.slice(this.i + 1, Math.min(j, s.length)).replace(/\\([`\\$])/g, "$1");
    const inner = new ShellScanner(body, depth + 1);
    inner.run();
    if (j >= s.length) return this.fail(inner.end, "unterminated backtick");
    if (inner.error) return this.fail("unquoted", inner.error);
    this.substitutions += 1 + inner.substitutions;
    for (const c of inner.commands) this.commands.push({ ...c, via: c.via === "start" ? "`" : c.via });
    this.i = j + 1;
  }

  /** Skips `$((…))` or `${…}` from its opening bracket, counting nesting. */
  private skipBalanced(from: number, open: string, close: string): void {
    const s = this.s;
    let level = 0;
    for (let j = from; j < s.length; j++) {
      if (s[j] === "\\") j++;
      else if (s[j] === open) level++;
      else if (s[j] === close && --level === 0) {
        this.i = j + 1;
        return;
      }
    }
    this.fail("unquoted", `unterminated '${open}'`);
  }

  /** After a newline, skips the bodies of pending here-documents. */
  private readHeredocs(): void {
    const s = this.s;
    for (const { delimiter, stripTabs } of this.heredocs.splice(0)) {
      while (this.i < s.length) {
        const nl = s.indexOf("\n", this.i);
        const line = s.slice(this.i, nl < 0 ? s.length : nl);
        this.i = nl < 0 ? s.length : nl + 1;
        if ((stripTabs ? line.replace(/^\t+/, "") : line) === delimiter) break;
      }
    }
  }
}
