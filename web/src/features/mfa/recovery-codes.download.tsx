'use client';

import { Button } from '@mantine/core';
import { recoveryCodesFile } from './recovery-codes.file';

/** Saves the recovery codes as a text file, made in the browser: they are never sent anywhere again. */
export function DownloadRecoveryCodes({ codes }: { codes: readonly string[] }) {
  function download() {
    const url = URL.createObjectURL(
      new Blob([recoveryCodesFile(codes, window.location.host)], { type: 'text/plain;charset=utf-8' }),
    );
    const link = document.createElement('a');
    link.href = url;
    link.download = 'recovery-codes.txt';
    link.click();
    // After the click has handed the blob to the download.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
  return (
    <Button size="xs" variant="default" onClick={download}>
      Download
    </Button>
  );
}
