import '@mantine/core/styles.css';
import './global.css';

import { ColorSchemeScript, mantineHtmlProps } from '@mantine/core';
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { COLOR_SCHEME_STORAGE_KEY } from '@/lib/theme';
import { Providers } from './providers';

export const metadata: Metadata = {
  title: { default: 'PVE PaaS', template: '%s · PVE PaaS' },
  description: 'Self-hosted platform for virtual machines and containers on Proxmox VE.',
  // A tenant's console, not a public site.
  robots: { index: false, follow: false },
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" {...mantineHtmlProps}>
      <head>
        {/* Sets data-mantine-color-scheme before the first paint, so a dark page never flashes light. */}
        <ColorSchemeScript defaultColorScheme="auto" localStorageKey={COLOR_SCHEME_STORAGE_KEY} />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
