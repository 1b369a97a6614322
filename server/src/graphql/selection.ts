// What the operation asks for below the field being resolved, so a resolver can load a relation for
// a whole page at once only when the client wants it.
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the field at `path` under the current field is selected, e.g. `['edges', 'node', 'project']`
 * under `machines`. Fragments count; @skip and @include are not evaluated (when in doubt: yes).
 */
export function selectsPath(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let fields: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    const next: FieldNode[] = [];
    for (const field of fields) if (field.selectionSet) collect(field.selectionSet, name, info, next, new Set());
    if (!next.length) return false;
    fields = next;
  }
  return true;
}

function collect(set: SelectionSetNode, name: string, info: GraphQLResolveInfo, out: FieldNode[], seen: Set<string>) {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value === name) out.push(sel);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      collect(sel.selectionSet, name, info, out, seen);
    } else if (!seen.has(sel.name.value)) {
      seen.add(sel.name.value);
      const fragment = info.fragments[sel.name.value];
      if (fragment) collect(fragment.selectionSet, name, info, out, seen);
    }
  }
}
