// The published API schema of Proxmox VE (pve-docs api-viewer/apidata.js), loaded once and indexed
// by path template. The simulator validates every request against it and refuses paths it lacks.
import { readFileSync } from 'node:fs';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface SchemaProperty {
  type?: string | string[];
  format?: string | Record<string, SchemaProperty>;
  optional?: number | boolean;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  default?: unknown;
  default_key?: number;
  alias?: string;
  keyAlias?: string;
  typetext?: string;
  items?: SchemaProperty;
  requires?: string;
  format_description?: string;
}

export interface PermissionSpec {
  check?: unknown[];
  user?: string;
  description?: string;
}

export interface MethodSchema {
  name: string;
  method: HttpMethod;
  description?: string;
  parameters?: { additionalProperties?: number; properties?: Record<string, SchemaProperty> };
  returns?: unknown;
  permissions?: PermissionSpec;
  protected?: number;
  proxyto?: string;
  allowtoken?: number;
}

interface SchemaNode {
  path: string;
  info?: Partial<Record<HttpMethod, MethodSchema>>;
  children?: SchemaNode[];
}

export interface RouteMatch {
  template: string;
  params: Record<string, string>;
  methods: Partial<Record<HttpMethod, MethodSchema>>;
}

export interface ApiSchema {
  version: string;
  /** Every path template, e.g. `/nodes/{node}/qemu/{vmid}/config`. */
  paths: Map<string, Partial<Record<HttpMethod, MethodSchema>>>;
  match(path: string): RouteMatch | undefined;
  method(template: string, method: HttpMethod): MethodSchema | undefined;
}

export const schemaFile = (version: '9.1' | '8.4') =>
  new URL(`../../pve-schema/apidata-${version}.json`, import.meta.url);

const cache = new Map<string, ApiSchema>();

export function loadSchema(version: '9.1' | '8.4' = '9.1'): ApiSchema {
  const cached = cache.get(version);
  if (cached) return cached;
  const roots = JSON.parse(readFileSync(schemaFile(version), 'utf8')) as SchemaNode[];
  const paths = new Map<string, Partial<Record<HttpMethod, MethodSchema>>>();
  const walk = (node: SchemaNode) => {
    paths.set(node.path, node.info ?? {});
    for (const child of node.children ?? []) walk(child);
  };
  for (const root of roots) walk(root);

  // Templates indexed by segment count; literal segments win over variables when both match.
  const bySegments = new Map<number, { template: string; segments: string[] }[]>();
  for (const template of paths.keys()) {
    const segments = template.split('/').filter(Boolean);
    const list = bySegments.get(segments.length) ?? [];
    list.push({ template, segments });
    bySegments.set(segments.length, list);
  }
  for (const list of bySegments.values()) {
    const vars = (s: string[]) => s.filter((x) => x.startsWith('{')).length;
    list.sort((a, b) => vars(a.segments) - vars(b.segments));
  }

  const schema: ApiSchema = {
    version,
    paths,
    match(path) {
      const parts = path.split('/').filter(Boolean).map(safeDecode);
      for (const candidate of bySegments.get(parts.length) ?? []) {
        const params: Record<string, string> = {};
        let ok = true;
        for (let i = 0; i < parts.length && ok; i++) {
          const seg = candidate.segments[i] as string;
          const part = parts[i] as string;
          if (seg.startsWith('{')) params[seg.slice(1, -1)] = part;
          else ok = seg === part;
        }
        if (ok) return { template: candidate.template, params, methods: paths.get(candidate.template) ?? {} };
      }
      return undefined;
    },
    method(template, method) {
      return paths.get(template)?.[method];
    },
  };
  cache.set(version, schema);
  return schema;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
