'use client';

import { useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { MoonIcon, SunIcon } from './icons';

/**
 * Light/dark switch. Mantine remembers the choice in localStorage. Which icon shows is decided by CSS
 * (lightHidden/darkHidden), not by React state, so server and browser render the same markup.
 */
export function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: true });

  return (
    // A plain button in the look of Mantine's default ActionIcon (global.css): ActionIcon's module would be
    // in every page's first load for this one button.
    <button
      type="button"
      className="platform-icon-button mantine-focus-auto"
      aria-label="Toggle colour scheme"
      title="Toggle colour scheme"
      onClick={() => setColorScheme(computed === 'dark' ? 'light' : 'dark')}
    >
      {/* Mantine's global classes, the same ones behind the lightHidden/darkHidden props. */}
      <SunIcon className="mantine-light-hidden" />
      <MoonIcon className="mantine-dark-hidden" />
    </button>
  );
}
