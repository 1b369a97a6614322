import {
  MultiSelect as MantineMultiSelect,
  type MultiSelectProps,
  Select as MantineSelect,
  type SelectProps,
} from '@mantine/core';

// Mantine's Select and MultiSelect (Combobox, Popover, @floating-ui, ScrollArea: ~35 KB gzip) with string
// values, imported only through lazy-select.tsx so that they load after the page instead of with it.
export function Select(props: SelectProps) {
  return <MantineSelect {...props} />;
}

export function MultiSelect(props: MultiSelectProps) {
  return <MantineMultiSelect {...props} />;
}
