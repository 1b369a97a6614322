'use client';

// The guest's screen through the platform's console proxy, drawn by noVNC. The proxy asks for VNC
// Authentication with the one-time password from openConsole; Proxmox's own ticket and password
// never reach the browser.
import { Button, Group, Paper, Stack, Textarea } from '@mantine/core';
import type RFB from '@novnc/novnc';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useOpenConsole } from './console.session';
import { describeClose, reconnectDelay } from './console.socket';
import { type ConsoleState, ConsoleStatus } from './console.state';

export function VncViewer({ machineId }: { machineId: string }) {
  const openConsole = useOpenConsole(machineId, 'VNC');
  const screenRef = useRef<HTMLDivElement>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const rfbRef = useRef<RFB | null>(null);
  const [state, setState] = useState<ConsoleState>({ phase: 'connecting' });
  const [clipboard, setClipboard] = useState('');
  const [attempt, setAttempt] = useState(0);
  /** Automatic reconnects since the last successful connection. */
  const retries = useRef(0);

  useEffect(() => {
    let cancelled = false;
    let rfb: RFB | null = null;
    setState({ phase: 'connecting' });
    (async () => {
      try {
        const [{ default: RFBClass }, session] = await Promise.all([import('@novnc/novnc'), openConsole()]);
        if (cancelled || !screenRef.current) return;
        // Our own socket, so the proxy's close reason (e.g. "the guest stopped") can be shown.
        const ws = new WebSocket(session.url, ['binary']);
        let closeReason = '';
        let closeCode = 1006;
        let wasConnected = false;
        ws.addEventListener('close', (e) => {
          closeCode = e.code;
          closeReason = describeClose(e.code, e.reason);
        });
        rfb = new RFBClass(screenRef.current, ws, { credentials: { password: session.password ?? '' }, shared: true });
        rfb.scaleViewport = true;
        rfb.background = '#000';
        rfbRef.current = rfb;
        rfb.addEventListener('connect', () => {
          wasConnected = true;
          retries.current = 0;
          if (!cancelled) setState({ phase: 'connected' });
        });
        rfb.addEventListener('securityfailure', (e) => {
          const detail = (e as CustomEvent<{ reason?: string }>).detail;
          closeReason = `Authentication failed${detail.reason ? `: ${detail.reason}` : ''}.`;
        });
        rfb.addEventListener('disconnect', () => {
          rfbRef.current = null;
          // The socket's close event may come a moment after noVNC's disconnect.
          setTimeout(() => {
            if (cancelled) return;
            const delay = reconnectDelay(closeCode, wasConnected, retries.current);
            const reason = closeReason || 'The connection dropped.';
            setState({ phase: 'disconnected', reason: delay === null ? reason : `${reason} Reconnecting…` });
            if (delay !== null) {
              retries.current += 1;
              setTimeout(() => !cancelled && setAttempt((n) => n + 1), delay);
            }
          }, 50);
        });
      } catch (err) {
        if (!cancelled) setState({ phase: 'disconnected', reason: err instanceof Error ? err.message : String(err) });
      }
    })();
    return () => {
      cancelled = true;
      rfb?.disconnect();
      rfbRef.current = null;
    };
  }, [openConsole, attempt]);

  const fullScreen = useCallback(() => {
    void frameRef.current?.requestFullscreen?.().catch(() => undefined);
  }, []);

  const connected = state.phase === 'connected';
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <ConsoleStatus state={state} />
        <Group gap="xs">
          <Button size="xs" variant="default" disabled={!connected} onClick={() => rfbRef.current?.sendCtrlAltDel()}>
            Ctrl+Alt+Del
          </Button>
          <Button size="xs" variant="default" onClick={fullScreen}>
            Full screen
          </Button>
          <Button
            size="xs"
            variant={connected ? 'default' : 'filled'}
            disabled={state.phase === 'connecting'}
            onClick={() => setAttempt((n) => n + 1)}
          >
            Reconnect
          </Button>
        </Group>
      </Group>
      <Paper ref={frameRef} withBorder radius="sm" style={{ background: '#000', overflow: 'hidden' }}>
        <div
          ref={screenRef}
          data-testid="vnc-screen"
          aria-label="Machine screen"
          style={{ width: '100%', height: '70vh' }}
        />
      </Paper>
      <Group align="flex-end" gap="xs">
        <Textarea
          label="Send text to the guest's clipboard"
          value={clipboard}
          onChange={(e) => setClipboard(e.currentTarget.value)}
          autosize
          minRows={1}
          maxRows={4}
          style={{ flex: 1 }}
        />
        <Button
          variant="default"
          disabled={!connected || clipboard === ''}
          onClick={() => {
            rfbRef.current?.clipboardPasteFrom(clipboard);
            rfbRef.current?.focus();
          }}
        >
          Send clipboard
        </Button>
      </Group>
    </Stack>
  );
}
