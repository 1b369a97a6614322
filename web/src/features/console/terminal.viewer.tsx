'use client';

// A guest terminal through the platform's console proxy, in xterm.js. The proxy has already done
// termproxy's `user:ticket` login; the browser speaks only the framing (input, resize, ping).
import '@xterm/xterm/css/xterm.css';
import { Button, Group, Paper, Stack } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useOpenConsole } from './console.session';
import { describeClose, reconnectDelay, termFrame } from './console.socket';
import { type ConsoleState, ConsoleStatus } from './console.state';

/** Proxmox's GUI pings every 30 s; termproxy would otherwise see an idle connection. */
const PING_MS = 30_000;

export function TerminalViewer({ machineId }: { machineId: string }) {
  const openConsole = useOpenConsole(machineId, 'TERMINAL');
  const hostRef = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<ConsoleState>({ phase: 'connecting' });
  const [attempt, setAttempt] = useState(0);
  /** Automatic reconnects since the last successful connection. */
  const retries = useRef(0);

  useEffect(() => {
    let cancelled = false;
    const cleanups: (() => void)[] = [];
    setState({ phase: 'connecting' });
    (async () => {
      try {
        const [{ Terminal }, { FitAddon }, session] = await Promise.all([
          import('@xterm/xterm'),
          import('@xterm/addon-fit'),
          openConsole(),
        ]);
        if (cancelled || !hostRef.current) return;
        const term = new Terminal({ cursorBlink: true, convertEol: false, fontFamily: 'monospace', fontSize: 14 });
        const fit = new FitAddon();
        term.loadAddon(fit);
        term.open(hostRef.current);
        fit.fit();
        cleanups.push(() => term.dispose());
        const ws = new WebSocket(session.url, ['binary']);
        ws.binaryType = 'arraybuffer';
        const send = (frame: string) => ws.readyState === WebSocket.OPEN && ws.send(frame);
        let wasConnected = false;
        ws.addEventListener('open', () => {
          if (cancelled) return;
          wasConnected = true;
          retries.current = 0;
          setState({ phase: 'connected' });
          send(termFrame.resize(term.cols, term.rows));
          term.focus();
        });
        ws.addEventListener('message', (e) => term.write(new Uint8Array(e.data as ArrayBuffer)));
        ws.addEventListener('close', (e) => {
          if (cancelled) return;
          const delay = reconnectDelay(e.code, wasConnected, retries.current);
          const reason = describeClose(e.code, e.reason);
          setState({ phase: 'disconnected', reason: delay === null ? reason : `${reason} Reconnecting…` });
          if (delay !== null) {
            retries.current += 1;
            setTimeout(() => !cancelled && setAttempt((n) => n + 1), delay);
          }
        });
        const input = term.onData((data) => send(termFrame.input(data)));
        const resize = term.onResize(({ cols, rows }) => send(termFrame.resize(cols, rows)));
        const ping = setInterval(() => send(termFrame.ping()), PING_MS);
        const observer = new ResizeObserver(() => fit.fit());
        observer.observe(hostRef.current);
        cleanups.push(() => {
          input.dispose();
          resize.dispose();
          clearInterval(ping);
          observer.disconnect();
          ws.close();
        });
      } catch (err) {
        if (!cancelled) setState({ phase: 'disconnected', reason: err instanceof Error ? err.message : String(err) });
      }
    })();
    return () => {
      cancelled = true;
      for (const c of cleanups.reverse()) c();
    };
  }, [openConsole, attempt]);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <ConsoleStatus state={state} />
        <Button
          size="xs"
          variant={state.phase === 'disconnected' ? 'filled' : 'default'}
          disabled={state.phase === 'connecting'}
          onClick={() => setAttempt((n) => n + 1)}
        >
          Reconnect
        </Button>
      </Group>
      <Paper withBorder radius="sm" p={4} style={{ background: '#000' }}>
        <div ref={hostRef} data-testid="terminal" style={{ height: '70vh' }} />
      </Paper>
    </Stack>
  );
}
