import { createTheme } from '@mantine/core';

/** The one Mantine theme. Colour scheme is the user's choice, remembered in localStorage by Mantine. */
export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif',
});

/** The key under which Mantine keeps the colour scheme; ColorSchemeScript and the provider must agree. */
export const COLOR_SCHEME_STORAGE_KEY = 'pvepaas-color-scheme';
