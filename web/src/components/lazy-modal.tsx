'use client';

import type { ModalProps } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';

const MantineModal = lazy(() => import('./modal.mantine').then((m) => ({ default: m.Modal })));

/**
 * Mantine's Modal, loaded the first time it opens: confirmations and detail dialogs are not needed to
 * show a page, and the modal machinery (portal, focus trap, scroll lock) is ~10 KB gzip of its first
 * load. Once loaded it stays mounted, so closing keeps its transition.
 */
export function Modal(props: ModalProps) {
  const [used, setUsed] = useState(props.opened);
  if (props.opened && !used) setUsed(true);
  if (!used) return null;
  return (
    <Suspense fallback={null}>
      <MantineModal {...props} />
    </Suspense>
  );
}
