'use client';

import { AppShellSection, Box, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ComponentType, ReactNode } from 'react';
import { SignOutButton } from '@/features/auth/sign-out.button';
import type { Viewer } from '@/features/auth/auth.documents';
import { ColorSchemeToggle } from './color-scheme.toggle';
import {
  AdminIcon,
  AlertsIcon,
  AuditIcon,
  DashboardIcon,
  MachinesIcon,
  OrganizationsIcon,
  ProfileIcon,
  ReportIcon,
} from './icons';

interface NavItem {
  href: string;
  label: string;
  icon: ComponentType<{ size?: number }>;
  /** Shown to platform admins only (the API refuses everyone else anyway). */
  adminOnly?: boolean;
}

// Only pages that exist. The audit log is for organization admins too
// (the page says so when the API refuses), so it is listed for everyone.
const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', label: 'Dashboard', icon: DashboardIcon },
  { href: '/machines', label: 'Machines', icon: MachinesIcon },
  { href: '/organizations', label: 'Organizations', icon: OrganizationsIcon },
  { href: '/alerts', label: 'Alerts', icon: AlertsIcon },
  { href: '/reports', label: 'Usage report', icon: ReportIcon },
  { href: '/audit', label: 'Audit log', icon: AuditIcon },
  { href: '/admin', label: 'Admin', icon: AdminIcon, adminOnly: true },
  { href: '/profile', label: 'Profile', icon: ProfileIcon },
];

function isActive(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

/**
 * Mantine's AppShell stylesheet on plain elements: its classes here, the variables its AppShell component
 * would compute in global.css (`.platform-shell`). The AppShell component itself (its media-query style
 * writer, resize handles, asides and footers, and react-remove-scroll for its header) is ~11 KB gzip of
 * every signed-in page's first load for a layout that never changes.
 */
const classes = AppShellSection.classes as Record<'root' | 'navbar' | 'header' | 'main' | 'section', string>;

/** The signed-in frame: header, navigation (a drawer below tablet width), the page. */
export function PlatformShell({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const pathname = usePathname();
  // Below the breakpoint a closed navbar only slides off-screen; `inert` also takes its links out of
  // the tab order and the accessibility tree. (False on the server and the first render, so it hydrates.)
  const isPhone = useMediaQuery('(max-width: 47.99em)');
  const navbarHidden = Boolean(isPhone) && !opened;

  return (
    <div className={`${classes.root} platform-shell`}>
      <a href="#main-content" className="platform-skip-link">
        Skip to content
      </a>
      {/* right-scroll-bar-position: react-remove-scroll keeps the header still when a dialog locks scrolling. */}
      <header className={`${classes.header} right-scroll-bar-position`} data-with-border>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            {/* Mantine's Burger, NavLink (with Collapse and the accordion chevron) and ActionIcon are ~5 KB
                of every signed-in page's first load for three lines, eight links and a toggle: plain
                elements styled in global.css with Mantine's variables. */}
            <button
              type="button"
              className="platform-burger mantine-focus-auto"
              data-opened={opened || undefined}
              onClick={toggle}
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={opened}
              aria-controls="platform-navigation"
            >
              <span />
            </button>
            <UnstyledButton component={Link} href="/" onClick={close} aria-label="PVE PaaS, go to the dashboard">
              <Text fw={700} size="lg">
                PVE PaaS
              </Text>
            </UnstyledButton>
          </Group>
          <ColorSchemeToggle />
        </Group>
      </header>

      <Box
        component="nav"
        id="platform-navigation"
        className={classes.navbar}
        data-with-border
        data-opened={opened || undefined}
        p="sm"
        aria-label="Main navigation"
        inert={navbarHidden}
      >
        {/* A plain scrolling box: Mantine's ScrollArea would bring @floating-ui into every page's first load. */}
        <div className={classes.section} data-grow style={{ overflowY: 'auto' }}>
          {NAV_ITEMS.filter((item) => !item.adminOnly || viewer.isPlatformAdmin).map(
            ({ href, label, icon: ItemIcon }) => {
              const active = isActive(pathname, href);
              return (
                <Link
                  key={href}
                  href={href}
                  className="platform-nav-link mantine-focus-auto"
                  data-active={active || undefined}
                  aria-current={active ? 'page' : undefined}
                  onClick={close}
                >
                  <ItemIcon size={18} />
                  <span>{label}</span>
                </Link>
              );
            },
          )}
        </div>
        <Box className={classes.section} pt="sm" style={{ borderTop: '1px solid var(--app-shell-border-color)' }}>
          <Stack gap="xs">
            <div>
              <Text size="sm" fw={500} truncate="end">
                {viewer.displayName}
              </Text>
              <Text size="xs" c="dimmed" truncate="end">
                {viewer.email}
              </Text>
            </div>
            <SignOutButton />
          </Stack>
        </Box>
      </Box>

      <main className={classes.main} id="main-content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
