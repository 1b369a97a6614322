// What one guest's console has received and shows. Shared by every viewer of that guest, like the
// real VGA console: keys typed in one noVNC tab are echoed on the screen of all of them.
import type { ConsoleInput, ConsoleTarget } from './types.js';

/** Lines typed and submitted with Enter, kept so the screen can scroll; older ones are dropped. */
const TRANSCRIPT_LIMIT = 200;

const KEYSYM_BACKSPACE = 0xff08;
const KEYSYM_RETURN = 0xff0d;
const KEYSYM_KP_ENTER = 0xff8d;
/** Keypad keysyms that type a character (X11 keysymdef.h: KP_Multiply .. KP_9). */
const KEYPAD_CHARS: Readonly<Record<number, string>> = {
  0xffaa: '*',
  0xffab: '+',
  0xffad: '-',
  0xffae: '.',
  0xffaf: '/',
  ...Object.fromEntries(Array.from({ length: 10 }, (_, digit) => [0xffb0 + digit, String(digit)])),
};

export const targetKey = (target: ConsoleTarget): string => `${target.node}/${target.type}/${target.vmid}`;

export class GuestConsole {
  readonly keys: number[] = [];
  text = '';
  /** Characters typed on the current line, shown after the last line of the guest's screen. */
  private typed = '';
  /** Earlier lines (guest prompt + what was typed), submitted with Enter. */
  private readonly transcript: string[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly screen: () => string[]) {}

  received(): ConsoleInput {
    return { keys: [...this.keys], text: this.text };
  }

  /** The lines a viewer sees: the guest's screen, submitted lines, and the line being typed. */
  lines(): string[] {
    const screen = this.screen();
    const prompt = screen.at(-1) ?? '';
    return [...screen.slice(0, -1), ...this.transcript, prompt + this.typed];
  }

  /** An RFB KeyEvent. Printable keys are echoed; BackSpace and Enter edit the typed line. */
  keyEvent(keysym: number, down: boolean): void {
    if (!down) return;
    this.keys.push(keysym);
    const char = keysym >= 0x20 && keysym <= 0x7e ? String.fromCharCode(keysym) : KEYPAD_CHARS[keysym];
    if (char !== undefined) {
      this.typed += char;
    } else if (keysym === KEYSYM_BACKSPACE) {
      this.typed = this.typed.slice(0, -1);
    } else if (keysym === KEYSYM_RETURN || keysym === KEYSYM_KP_ENTER) {
      this.transcript.push((this.screen().at(-1) ?? '') + this.typed);
      this.transcript.splice(0, Math.max(0, this.transcript.length - TRANSCRIPT_LIMIT));
      this.typed = '';
    } else {
      return;
    }
    this.changed();
  }

  /** Terminal input as it arrived in `0:len:data` frames. */
  terminalInput(text: string): void {
    this.text += text;
  }

  /** Calls `listener` whenever the echoed text changes; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
