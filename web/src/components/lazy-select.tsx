'use client';

import type { MultiSelectProps, SelectProps } from '@mantine/core';
import { TextInput } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { labelsOf } from './select.labels';

/**
 * Mantine's Select and MultiSelect, loaded after the page: their dropdown machinery (Combobox, Popover,
 * @floating-ui, ScrollArea) is about 35 KB gzip, which would otherwise be in the first load of every page
 * with a picker. Server-rendered pickers keep their markup until the code arrives; a picker rendered in
 * the browser first shows a read-only field with the same label, size and current value.
 */
const MantineSelect = lazy(() => import('./select.mantine').then((m) => ({ default: m.Select })));
const MantineMultiSelect = lazy(() => import('./select.mantine').then((m) => ({ default: m.MultiSelect })));

type Shared = Pick<
  SelectProps,
  | 'label'
  | 'description'
  | 'error'
  | 'placeholder'
  | 'size'
  | 'w'
  | 'maw'
  | 'miw'
  | 'flex'
  | 'mt'
  | 'mb'
  | 'required'
  | 'withAsterisk'
  | 'disabled'
  | 'aria-label'
  | 'className'
  | 'style'
>;

/** Stands in for a picker while its code loads: a read-only field with the same label, size and value. */
function Placeholder(props: Shared & { shown: string }) {
  return (
    <TextInput
      label={props.label}
      description={props.description}
      error={props.error}
      placeholder={props.placeholder}
      size={props.size}
      w={props.w}
      maw={props.maw}
      miw={props.miw}
      flex={props.flex}
      mt={props.mt}
      mb={props.mb}
      required={props.required}
      withAsterisk={props.withAsterisk}
      disabled={props.disabled}
      aria-label={props['aria-label']}
      className={props.className}
      style={props.style}
      value={props.shown}
      readOnly
    />
  );
}

export function Select(props: SelectProps) {
  const shown = props.value == null ? '' : (labelsOf(props.data, [props.value])[0] ?? '');
  return (
    <Suspense fallback={<Placeholder {...props} shown={shown} />}>
      <MantineSelect {...props} />
    </Suspense>
  );
}

export function MultiSelect(props: MultiSelectProps) {
  const shown = labelsOf(props.data, props.value ?? []).join(', ');
  return (
    <Suspense fallback={<Placeholder {...(props as Shared)} shown={shown} />}>
      <MantineMultiSelect {...props} />
    </Suspense>
  );
}
