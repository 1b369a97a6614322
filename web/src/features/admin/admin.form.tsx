'use client';

import { Button, Paper, Text, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Confirm } from '@/components/confirm.modal';

/**
 * The form under a panel's list that adds to it: a titled form (its title names it for assistive
 * technology), an optional explanation, the fields, and a submit button when `submit` is given.
 */
export function AdminForm({
  id,
  title,
  intro,
  submit,
  busy,
  onSubmit,
  children,
}: {
  id: string;
  title: string;
  intro?: ReactNode;
  /** The submit button's label; leave out to place the button among the fields. */
  submit?: string;
  busy?: boolean;
  onSubmit: (event: FormEvent) => void;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="lg" component="form" onSubmit={onSubmit} aria-labelledby={id} noValidate>
      <Title order={3} size="h4" id={id} mb={intro ? 'xs' : 'sm'}>
        {title}
      </Title>
      {intro && (
        <Text size="sm" c="dimmed" mb="md">
          {intro}
        </Text>
      )}
      {children}
      {submit && (
        <Button type="submit" mt="md" loading={busy}>
          {submit}
        </Button>
      )}
    </Paper>
  );
}

/**
 * A listed thing's Delete button and the confirmation it opens (`Delete <noun> <name>?`, saying what
 * happens); `onConfirm` runs the deletion once confirmed.
 */
export function DeleteWithConfirm({
  noun,
  name,
  consequence,
  onConfirm,
}: {
  noun: string;
  name: string;
  consequence: ReactNode;
  onConfirm: () => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="xs" color="red" variant="light" onClick={() => setOpen(true)} aria-label={`Delete ${noun} ${name}`}>
        Delete
      </Button>
      <Confirm
        opened={open}
        title={`Delete ${noun} ${name}?`}
        action={`Delete ${noun}`}
        onClose={() => setOpen(false)}
        onConfirm={() => {
          setOpen(false);
          onConfirm();
        }}
      >
        {consequence}
      </Confirm>
    </>
  );
}
