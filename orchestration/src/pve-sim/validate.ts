// Parameter verification as pve-common's JSONSchema.pm does it (check_object / check_prop /
// parse_property_string), with its error texts. Form values arrive as strings (booleans 0/1);
// JSON bodies may carry numbers and true/false, which are checked in their string form.
import { PveError } from './errors.js';
import { checkNamedFormat } from './formats.js';
import type { MethodSchema, SchemaProperty } from './schema.js';

export type RawParams = Record<string, string | string[]>;

/** Highest index per indexed option (`net[n]` → net0..net31); unknown ones accept 0..255. */
const INDEX_MAX: Record<string, number> = {
  net: 31,
  ipconfig: 31,
  scsi: 30,
  virtio: 15,
  sata: 5,
  ide: 3,
  hostpci: 15,
  usb: 4,
  serial: 3,
  parallel: 2,
  numa: 7,
  unused: 255,
  mp: 255,
  dev: 255,
  virtiofs: 9,
  link: 7,
};

export function findProperty(props: Record<string, SchemaProperty>, name: string): SchemaProperty | undefined {
  const direct = props[name];
  if (direct) return direct;
  const m = /^([a-z_-]+?)(\d+)$/i.exec(name);
  if (!m) return undefined;
  const [, base = '', index = ''] = m;
  const indexed = props[`${base}[n]`];
  if (!indexed || String(Number(index)) !== index) return undefined;
  return Number(index) <= (INDEX_MAX[base] ?? 255) ? indexed : undefined;
}

const isOptional = (p: SchemaProperty) => p.optional === 1 || p.optional === true;

/** Throws a 400 with per-parameter messages, or returns nothing. */
export function validateParams(method: MethodSchema, params: RawParams): void {
  const props = method.parameters?.properties ?? {};
  const errors: Record<string, string> = {};
  const add = (key: string, msg: string) => {
    errors[key] = errors[key] ? `${errors[key]}\n${msg}` : msg;
  };
  for (const [name, schema] of Object.entries(props)) {
    if (name.endsWith('[n]')) continue;
    if (params[name] === undefined && !isOptional(schema)) add(name, 'property is missing and it is not optional');
  }
  for (const [name, value] of Object.entries(params)) {
    const schema = findProperty(props, name);
    if (!schema) {
      if (method.parameters?.additionalProperties !== 1) {
        add(name, 'property is not defined in schema and the schema does not allow additional properties');
      }
      continue;
    }
    const err = checkProp(name, schema, value);
    if (err) add(name, err);
  }
  for (const [name, schema] of Object.entries(props)) {
    if (schema.requires && params[name] !== undefined && params[schema.requires] === undefined) {
      add(schema.requires, `missing property - '${name}' requires this property`);
    }
  }
  if (Object.keys(errors).length) throw PveError.params(errors);
}

export function checkProp(path: string, schema: SchemaProperty, value: string | string[]): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'array') {
    const list = Array.isArray(value) ? value : [value];
    for (const item of list) {
      const err = schema.items ? checkProp(path, schema.items, item) : undefined;
      if (err) return err;
    }
    return undefined;
  }
  if (Array.isArray(value)) {
    if (value.length > 1) return `type check ('${type ?? 'string'}') failed - got ARRAY`;
    value = value[0] ?? '';
  }
  switch (type) {
    case 'boolean':
      if (value !== '0' && value !== '1') return `type check ('boolean') failed - got '${value}'`;
      break;
    case 'integer':
      if (!/^[+-]?\d+$/.test(value)) return `type check ('integer') failed - got '${value}'`;
      break;
    case 'number':
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value))
        return `type check ('number') failed - got '${value}'`;
      break;
    default:
      break;
  }
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    return `value must be at least ${schema.minLength} characters long`;
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    return `value may only be ${schema.maxLength} characters long`;
  }
  if ((type === 'integer' || type === 'number') && schema.minimum !== undefined && Number(value) < schema.minimum) {
    return `value must have a minimum value of ${schema.minimum}`;
  }
  if ((type === 'integer' || type === 'number') && schema.maximum !== undefined && Number(value) > schema.maximum) {
    return `value must have a maximum value of ${schema.maximum}`;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    return `value '${value}' does not have a value in the enumeration '${schema.enum.join(', ')}'`;
  }
  if (schema.pattern && !patternRegex(schema.pattern)?.test(value)) {
    return 'value does not match the regex pattern';
  }
  if (schema.format !== undefined) {
    if (typeof schema.format === 'string') {
      const err = checkNamedFormat(schema.format, value, schema.typetext);
      if (err) return `invalid format - ${err}`;
    } else {
      const err = checkPropertyString(path, schema.format, value);
      if (err) return `invalid format - ${err}`;
    }
  }
  return undefined;
}

const regexCache = new Map<string, RegExp | null>();

/** Perl patterns from the schema as JS regexes: `(?^:…)` groups become `(?:…)`, anchors wrap it. */
function patternRegex(pattern: string): RegExp | undefined {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    const js = pattern
      .replace(/\(\?\^([a-z]*):/g, (_, flags: string) => (flags ? `(?${flags}:` : '(?:'))
      .replace(/\\z/g, '$')
      .replace(/\\A/g, '^');
    try {
      re = new RegExp(`^(?:${js})$`);
    } catch {
      re = null;
    }
    regexCache.set(pattern, re);
  }
  return re ?? /^/;
}

/** parse_property_string + check_object for an inline `key=value,...` format. */
export function parsePropertyString(
  format: Record<string, SchemaProperty>,
  value: string,
): { values: Record<string, string>; error?: string } {
  const values: Record<string, string> = {};
  const defaultKey = Object.entries(format).find(([, p]) => p.default_key)?.[0];
  let usedDefault = false;
  for (const part of value.split(',')) {
    if (/^\s*$/.test(part)) continue;
    const m = /^([^=]+)=(.+)$/s.exec(part);
    if (m) {
      let key = m[1] as string;
      let val = m[2] as string;
      const schema = format[key];
      if (schema?.alias) {
        if (schema.keyAlias) {
          values[schema.keyAlias] = key;
          key = schema.alias;
        } else key = schema.alias;
      }
      if (values[key] !== undefined) return { values, error: `duplicate key in comma-separated list property: ${key}` };
      if (!format[key]) return { values, error: `invalid key in comma-separated list property: ${key}` };
      if (format[key]?.type === 'boolean')
        val = /^(1|true|yes|on)$/i.test(val) ? '1' : /^(0|false|no|off)$/i.test(val) ? '0' : val;
      values[key] = val;
    } else if (!part.includes('=')) {
      if (!defaultKey) return { values, error: 'value without key, but schema does not define a default key' };
      if (usedDefault || values[defaultKey] !== undefined) {
        return { values, error: `duplicate key in comma-separated list property: ${defaultKey}` };
      }
      usedDefault = true;
      values[defaultKey] = part;
    } else {
      return { values, error: 'missing key in comma-separated list property' };
    }
  }
  return { values };
}

function checkPropertyString(path: string, format: Record<string, SchemaProperty>, value: string): string | undefined {
  const { values, error } = parsePropertyString(format, value);
  if (error) return error;
  const errors: string[] = [];
  for (const [key, schema] of Object.entries(format)) {
    if (schema.alias) continue;
    const v = values[key];
    if (v === undefined) {
      if (!isOptional(schema) && !schema.default_key)
        errors.push(`${path}.${key}: property is missing and it is not optional`);
      else if (!isOptional(schema) && schema.default_key && schema.default === undefined) {
        errors.push(`${path}.${key}: property is missing and it is not optional`);
      }
      continue;
    }
    const err = checkProp(`${path}.${key}`, schema, v);
    if (err) errors.push(`${path}.${key}: ${err}`);
  }
  return errors.length ? `format error\n${errors.join('\n')}\n` : undefined;
}
