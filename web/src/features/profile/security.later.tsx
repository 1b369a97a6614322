'use client';

import { Alert, Button, Code, CopyButton, Group, Image, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { DownloadRecoveryCodes } from '@/features/mfa/recovery-codes.download';

// The parts of the profile's second-factor panel that appear only after an action (security.panel.tsx).

/** Recovery codes, shown this once, with a copy button. */
export function RecoveryCodesShown({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <Alert color="yellow" title="Your recovery codes: save them now" role="status">
      <Text size="sm" mb="xs">
        Each signs in once in place of a code from your app. They are not shown again.
      </Text>
      <Code block data-testid="recovery-codes">
        {codes.join('\n')}
      </Code>
      <Group mt="sm">
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button size="xs" variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy the codes'}
            </Button>
          )}
        </CopyButton>
        <DownloadRecoveryCodes codes={codes} />
        <Button size="xs" onClick={onDone}>
          I have saved them
        </Button>
      </Group>
    </Alert>
  );
}

/** Enrolling: the QR code and secret to add to the app, and the first code from it to turn it on. */
export function TotpEnrolmentForm({
  enrolment,
  code,
  onCode,
  codeError,
  confirming,
  onSubmit,
  onCancel,
}: {
  enrolment: { qrCodeDataUrl: string; secret: string };
  code: string;
  onCode: (code: string) => void;
  codeError: string | null;
  confirming: boolean;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      aria-label="Confirm the authenticator app"
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Image src={enrolment.qrCodeDataUrl} alt="QR code to scan with your authenticator app" w={180} h={180} />
        <Stack gap="xs">
          <Text size="sm">Scan the code, or type this secret into the app:</Text>
          <Code data-testid="totp-secret">{enrolment.secret}</Code>
          <TextInput
            label="Code from the app"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => onCode(e.currentTarget.value)}
            error={codeError}
            w={200}
          />
          <Group>
            <Button type="submit" loading={confirming}>
              Turn on
            </Button>
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </SimpleGrid>
    </form>
  );
}
