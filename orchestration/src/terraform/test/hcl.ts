import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';

export type HclBody = Record<string, unknown>;

export interface ParsedModule {
  resource: Record<string, Record<string, HclBody[]>>;
  variable: Record<string, HclBody[]>;
  output: Record<string, HclBody[]>;
  module: Record<string, HclBody[]>;
  terraform: HclBody[];
}

/** Parses every .tf file of a module directory with HashiCorp's HCL parser and merges the blocks. */
export async function parseModule(dir: string): Promise<ParsedModule> {
  const merged: ParsedModule = { resource: {}, variable: {}, output: {}, module: {}, terraform: [] };
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.tf')).sort()) {
    const parsed = (await parse(file, await readFile(join(dir, file), 'utf8'))) as Record<string, unknown>;
    const resources = (parsed.resource ?? {}) as Record<string, Record<string, HclBody[]>>;
    for (const [type, byName] of Object.entries(resources)) {
      merged.resource[type] = { ...merged.resource[type], ...byName };
    }
    for (const key of ['variable', 'output', 'module'] as const) {
      Object.assign(merged[key], (parsed[key] ?? {}) as Record<string, HclBody[]>);
    }
    merged.terraform.push(...((parsed.terraform ?? []) as HclBody[]));
  }
  return merged;
}

/** Top-level attribute names of a Terraform type expression `object({ a = string, b = optional(...) })`. */
export function objectTypeKeys(typeExpr: string): string[] | undefined {
  const expr = typeExpr.replace(/^\$\{/, '').replace(/\}$/, '').trim();
  const unwrap = /^(?:list|set|map)\((.*)\)$/s.exec(expr);
  const inner = unwrap ? unwrap[1]!.trim() : expr;
  const m = /^object\(\{(.*)\}\)$/s.exec(inner);
  if (!m) return undefined;
  const body = m[1]!;
  const keys: string[] = [];
  let depth = 0;
  let atStart = true;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if ('({['.includes(c)) depth++;
    else if (')}]'.includes(c)) depth--;
    else if (depth === 0 && (c === ',' || c === '\n')) atStart = true;
    else if (depth === 0 && atStart && /[A-Za-z_]/.test(c)) {
      const key = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body.slice(i))![0];
      keys.push(key);
      i += key.length - 1;
      atStart = false;
    } else if (!/\s/.test(c)) atStart = false;
  }
  return keys;
}
