'use client';

import { ActionIcon, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { MoonIcon, SunIcon } from './icons';

/**
 * Light/dark switch. Mantine remembers the choice in localStorage. Which icon shows is decided by CSS
 * (lightHidden/darkHidden), not by React state, so server and browser render the same markup.
 */
export function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: true });

  return (
    <ActionIcon
      variant="default"
      size="lg"
      aria-label="Toggle colour scheme"
      title="Toggle colour scheme"
      onClick={() => setColorScheme(computed === 'dark' ? 'light' : 'dark')}
    >
      {/* Mantine's global classes, the same ones behind the lightHidden/darkHidden props. */}
      <SunIcon className="mantine-light-hidden" />
      <MoonIcon className="mantine-dark-hidden" />
    </ActionIcon>
  );
}
