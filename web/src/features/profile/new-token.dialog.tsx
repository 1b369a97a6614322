'use client';

import { ActionIcon, Alert, Button, Code, CopyButton, Group, Modal, Stack, Tooltip } from '@mantine/core';

/**
 * The dialog that shows a new token's secret, once. Its own module, loaded when a token is created: the
 * copy button's tooltip brings @floating-ui, which the profile page does not need to show itself.
 */
export function NewTokenDialog({ secret, onClose }: { secret: { name: string; token: string }; onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title={`Token "${secret.name}" created`} size="lg">
      <Stack>
        <Alert color="yellow" title="Copy it now">
          This is the only time the token is shown; the platform keeps only its hash. If you lose it, revoke it and
          create another.
        </Alert>
        <Group wrap="nowrap" gap="xs">
          <Code block style={{ flex: 1, wordBreak: 'break-all' }} aria-label="The new token" data-testid="new-token">
            {secret.token}
          </Code>
          <CopyButton value={secret.token}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
                <ActionIcon
                  variant="default"
                  size="lg"
                  onClick={copy}
                  aria-label={copied ? 'Token copied' : 'Copy the token'}
                >
                  {copied ? '✓' : '⧉'}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
        <Group justify="flex-end">
          <Button onClick={onClose}>I have copied it</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
