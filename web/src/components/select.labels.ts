import type { ComboboxData } from '@mantine/core';

/** The labels of `values` in Mantine's `data` (strings, `{ value, label }` items or groups of them), in order. */
export function labelsOf(data: ComboboxData | undefined, values: readonly string[]): string[] {
  const labels = new Map<string, string>();
  const add = (item: unknown) => {
    if (typeof item === 'string') labels.set(item, item);
    else if (item && typeof item === 'object') {
      if ('items' in item && Array.isArray(item.items)) item.items.forEach(add);
      else if ('value' in item) {
        const { value, label } = item as { value: string; label?: string };
        labels.set(value, label ?? value);
      }
    }
  };
  (Array.isArray(data) ? data : []).forEach(add);
  return values.flatMap((v) => (labels.has(v) ? [labels.get(v)!] : []));
}
