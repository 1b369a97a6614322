'use client';

import { Center, Container } from '@mantine/core';
import { PageError } from '@/components/page-error';

// Errors outside a page's own segment, e.g. the signed-in layout failing to ask the API who is signed in.
export default function RootError(props: { error: unknown; retry: () => void }) {
  return (
    <Center mih="100dvh" p="md" component="main">
      <Container size="sm" w="100%">
        <PageError {...props} />
      </Container>
    </Center>
  );
}
