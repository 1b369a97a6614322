'use client';

import { Button, Paper, Text, Title } from '@mantine/core';
import { useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
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

/** The keys of `F` whose values are of type `V`. */
type KeysOf<F, V> = { [K in keyof F]: F[K] extends V ? K : never }[keyof F] & string;

/**
 * An add-form's values, and the props that bind an input to one of them: its value, its change
 * handler and (but for checkboxes) the message `fields` holds for it (the API's, or the form's own).
 */
export function useFormValues<F extends Record<string, unknown>>(initial: F, fields: Record<string, string>) {
  const [form, setForm] = useState(initial);
  // Values are read from the event before the update runs: React clears currentTarget by then.
  const set = <K extends keyof F>(key: K, value: F[K]) => setForm((f) => ({ ...f, [key]: value }));
  return {
    form,
    setForm,
    /** TextInput, PasswordInput, Textarea. */
    text: (key: KeysOf<F, string>) => ({
      value: form[key] as string,
      onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
        set(key, e.currentTarget.value as F[typeof key]),
      error: fields[key],
    }),
    /** NumberInput: empty (or not a number) is null. */
    number: (key: KeysOf<F, number | null>) => ({
      value: (form[key] as number | null) ?? '',
      onChange: (v: string | number) => set(key, (typeof v === 'number' ? v : null) as F[typeof key]),
      error: fields[key],
    }),
    /** Select of strings: nothing chosen is ''. */
    select: (key: KeysOf<F, string>) => ({
      value: (form[key] as string) || null,
      onChange: (v: string | null) => set(key, (v ?? '') as F[typeof key]),
      error: fields[key],
    }),
    /** Checkbox. */
    checkbox: (key: KeysOf<F, boolean>) => ({
      checked: form[key] as boolean,
      onChange: (e: ChangeEvent<HTMLInputElement>) => set(key, e.currentTarget.checked as F[typeof key]),
    }),
  };
}
