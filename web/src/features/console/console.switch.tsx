'use client';

import dynamic from 'next/dynamic';

// noVNC and xterm.js touch `window` when they load: browser only.
const VncViewer = dynamic(() => import('./vnc.viewer').then((m) => m.VncViewer), { ssr: false });
const TerminalViewer = dynamic(() => import('./terminal.viewer').then((m) => m.TerminalViewer), { ssr: false });

export function ConsoleSwitch({ machineId, kind }: { machineId: string; kind: 'VNC' | 'TERMINAL' }) {
  return kind === 'VNC' ? (
    <VncViewer key={machineId} machineId={machineId} />
  ) : (
    <TerminalViewer key={machineId} machineId={machineId} />
  );
}
