'use client';

import { Anchor, Button } from '@mantine/core';
import Link from 'next/link';

// Mantine components rendering next/link: client components, since a server component cannot hand
// the Link component itself to Mantine.

export function CreateMachineButton() {
  return (
    <Button component={Link} href="/machines/new">
      Create machine
    </Button>
  );
}

export function AllMachinesLink() {
  return (
    <Anchor component={Link} href="/machines" size="sm">
      ← All machines
    </Anchor>
  );
}
