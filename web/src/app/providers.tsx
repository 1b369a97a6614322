'use client';

import { localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApolloProvider } from '@/lib/apollo/apollo.provider';
import { COLOR_SCHEME_STORAGE_KEY, theme } from '@/lib/theme';

const colorSchemeManager = localStorageColorSchemeManager({ key: COLOR_SCHEME_STORAGE_KEY });

export function Providers({ children }: { children: ReactNode }) {
  return (
    <ApolloProvider>
      <MantineProvider theme={theme} colorSchemeManager={colorSchemeManager} defaultColorScheme="auto">
        {children}
      </MantineProvider>
    </ApolloProvider>
  );
}
