'use client';

import { useMutation } from '@apollo/client/react';
import { useCallback } from 'react';
import { describeApiError } from '@/lib/apollo/graphql-errors';
import type { ConsoleKind } from '@/gql/graphql';
import { OpenConsoleMutation } from './console.documents';
import { consoleSocketUrl } from './console.socket';

export interface OpenedConsole {
  url: string;
  password: string | null;
}

/** Asks the API for a one-time console session; each (re)connect needs a fresh one. */
export function useOpenConsole(machineId: string, kind: ConsoleKind) {
  const [open] = useMutation(OpenConsoleMutation);
  return useCallback(async (): Promise<OpenedConsole> => {
    try {
      const { data } = await open({ variables: { machineId, kind } });
      if (!data) throw new Error('The API returned no console session.');
      return {
        url: consoleSocketUrl(data.openConsole.path, window.location),
        password: data.openConsole.password ?? null,
      };
    } catch (err) {
      throw new Error(describeApiError(err).message ?? 'The console could not be opened; try again.');
    }
  }, [open, machineId, kind]);
}
