// The simulated guest shell behind termproxy: a root login with line editing and a handful of
// commands, enough for a platform test or a person in xterm.js to see a live, answering guest.
import type { ConsoleTarget } from './types.js';

export interface ShellOptions {
  hostname: string;
  type: ConsoleTarget['type'];
  now: () => number;
  /** Terminal output (raw bytes as text, CRLF line ends). */
  write: (text: string) => void;
  /** The user logged out (`exit`, `logout`, Ctrl-D on an empty line). */
  logout: () => void;
}

/** Containers share the node's kernel; VMs run their distribution's. */
const KERNELS = {
  lxc: '6.14.8-2-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2 (2025-07-22T10:04Z)',
  qemu: '6.12.48+deb13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.12.48-1 (2025-09-20)',
} as const;

/** Splits a command line into words, honouring single and double quotes and backslashes. */
export const splitWords = (line: string): string[] => {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && i + 1 < line.length) word = (word ?? '') + line[++i];
      else word = (word ?? '') + char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (char === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
};

export class SimShell {
  private line = '';
  /** Inside an escape sequence (cursor keys and the like), which the line editor ignores. */
  private escape: 'none' | 'esc' | 'csi' = 'none';
  private lastWasCr = false;
  private cols = 80;
  private rows = 24;

  constructor(private readonly options: ShellOptions) {}

  get prompt(): string {
    return `root@${this.options.hostname}:~# `;
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
  }

  input(text: string): void {
    for (const char of text) {
      const wasCr = this.lastWasCr;
      this.lastWasCr = char === '\r';
      if (this.escape !== 'none') {
        if (this.escape === 'esc') this.escape = char === '[' || char === 'O' ? 'csi' : 'none';
        else if (char >= '@' && char <= '~') this.escape = 'none';
        continue;
      }
      if (char === '\n' && wasCr) continue;
      if (char === '\r' || char === '\n') this.enter();
      else if (char === '\x7f' || char === '\b') this.backspace();
      else if (char === '\x03') this.interrupt();
      else if (char === '\x04') {
        if (this.line === '') this.logout();
      } else if (char === '\x1b') this.escape = 'esc';
      else if (char >= ' ') {
        this.line += char;
        this.options.write(char);
      }
    }
  }

  private backspace(): void {
    if (this.line === '') return this.options.write('\x07');
    this.line = [...this.line].slice(0, -1).join('');
    this.options.write('\b \b');
  }

  private interrupt(): void {
    this.line = '';
    this.options.write(`^C\r\n${this.prompt}`);
  }

  private logout(): void {
    this.options.write('logout\r\n');
    this.options.logout();
  }

  private enter(): void {
    const line = this.line;
    this.line = '';
    this.options.write('\r\n');
    const [command, ...args] = splitWords(line);
    if (command === 'exit' || command === 'logout') return this.logout();
    if (command === 'clear') return this.options.write(`\x1b[H\x1b[2J${this.prompt}`);
    const output = command === undefined ? undefined : this.run(command, args);
    if (output !== undefined) this.options.write(output.replaceAll('\n', '\r\n') + (output === '' ? '' : '\r\n'));
    this.options.write(this.prompt);
  }

  /** The output of a command (without its final newline), or undefined when it prints nothing. */
  private run(command: string, args: string[]): string | undefined {
    const { hostname, type } = this.options;
    switch (command) {
      case 'hostname':
        return hostname;
      case 'whoami':
        return 'root';
      case 'id':
        return 'uid=0(root) gid=0(root) groups=0(root)';
      case 'pwd':
        return '/root';
      case 'echo':
        return args.join(' ');
      case 'true':
      case ':':
        return undefined;
      case 'date':
        return formatDate(new Date(this.options.now()));
      case 'stty':
        return args[0] === 'size' ? `${this.rows} ${this.cols}` : undefined;
      case 'uname': {
        const flags = args.join('').replaceAll('-', '');
        const parts = {
          s: 'Linux',
          n: hostname,
          r: KERNELS[type].split(' ')[0] ?? '',
          v: KERNELS[type].split(' ').slice(1).join(' '),
          m: 'x86_64',
          o: 'GNU/Linux',
        };
        if (flags.includes('a')) return Object.values(parts).join(' ');
        const wanted = (Object.keys(parts) as Array<keyof typeof parts>).filter((flag) => flags.includes(flag));
        return (wanted.length === 0 ? ['s' as const] : wanted).map((flag) => parts[flag]).join(' ');
      }
      default:
        return `-bash: ${command}: command not found`;
    }
  }
}

/** `date`'s default output in the C locale and UTC, e.g. `Wed Nov 25 22:56:40 UTC 2026`. */
const formatDate = (date: Date): string => {
  const [weekday, day, month, year, time] = date.toUTCString().replace(',', '').split(' ');
  return `${weekday} ${month} ${(day ?? '').replace(/^0/, ' ')} ${time} UTC ${year}`;
};
