// Operations generated from the schema for the authorisation matrix: every argument that names an
// object (an ID) points at a real object of the tenant under attack, every other argument gets a
// value that passes validation, so a refusal can only come from authorisation.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import type { Target } from './authorization-matrix.rules.js';

export type OperationKind = 'query' | 'mutation' | 'subscription';

/** Ids of the objects arguments may point at. */
export type Fixtures = Record<Target, string>;

/** ID arguments and input fields by name: which object they name. `id` is per operation (Rule.id). */
const ID_FIELDS: Record<string, Target> = {
  organizationId: 'organization',
  projectId: 'project',
  machineId: 'machine',
  machineIds: 'machine',
  jobId: 'job',
  networkId: 'network',
  clusterId: 'cluster',
  templateId: 'template',
  storageId: 'storage',
  actorId: 'user',
  ruleId: 'alertRule',
  channelId: 'notificationChannel',
};

export interface SampleContext {
  fixtures: Fixtures;
  /** What `id` points at for this operation. */
  id?: Target;
  /** An existing account's email and password (signIn, addMember). */
  email: string;
  password: string;
}

const unique = () => `matrix-${randomBytes(3).toString('hex')}`;

/** Values that pass each string/int field's validation, by field name. */
function byName(name: string, ctx: SampleContext): unknown {
  switch (name) {
    case 'email':
      return ctx.email;
    case 'password':
      return ctx.password;
    case 'name':
    case 'slug':
      return unique();
    case 'displayName':
      return 'Matrix';
    case 'description':
      return '';
    case 'apiUrl':
      return 'https://pve.example.com:8006';
    case 'tokenId':
      return 'root@pam!matrix';
    case 'tokenSecret':
      return 'matrix-token-secret';
    case 'os':
      return 'debian-12';
    case 'osTemplate':
      return 'local:vztmpl/debian-12.tar.zst';
    case 'type':
      return 'dir';
    case 'bridge':
      return 'vmbr0';
    case 'targetNode':
      return 'pve2';
    case 'tags':
    case 'scopes':
      return [];
    case 'cores':
      return 2;
    case 'memoryMiB':
      return 2048;
    case 'diskGiB':
      return 64;
    case 'sourceVmid':
      return 9000;
    case 'timeoutSeconds':
      return 30;
    case 'from':
      return new Date(Date.now() - 3_600_000).toISOString();
    case 'to':
      return new Date().toISOString();
    case 'node':
      return 'pve1';
    case 'storage':
      return 'local-lvm';
    default:
      return undefined;
  }
}

/** A value of `type` for the argument or field `name`; `required` false: only ids are filled in. */
export function sample(
  type: GraphQLInputType,
  name: string,
  ctx: SampleContext,
  required: boolean,
  depth = 0,
): unknown {
  const named = getNamedType(type);
  if (isScalarType(named) && named.name === 'ID') {
    const target = name === 'id' ? ctx.id : ID_FIELDS[name];
    if (target)
      return isListType(isNonNullType(type) ? type.ofType : type) ? [ctx.fixtures[target]] : ctx.fixtures[target];
    return required ? randomUUID() : undefined;
  }
  if (isInputObjectType(named)) {
    if (depth > 4) return {};
    const out: Record<string, unknown> = {};
    for (const field of Object.values(named.getFields())) {
      const needed = isNonNullType(field.type) && field.defaultValue === undefined;
      const value = sample(field.type, field.name, ctx, needed, depth + 1);
      if (value !== undefined) out[field.name] = value;
    }
    return required || Object.keys(out).length ? out : undefined;
  }
  if (!required) return undefined;
  const known = byName(name, ctx);
  if (known !== undefined) return known;
  if (isListType(isNonNullType(type) ? type.ofType : type)) return [];
  if (isEnumType(named)) return named.getValues()[0]!.value;
  switch (named.name) {
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'DateTimeISO':
      return new Date(Date.now() + 86_400_000).toISOString();
    case 'JSONObject':
      return {};
    default:
      return unique();
  }
}

/** Every leaf field down to `depth` object levels: the answer shows whatever the operation returns. */
export function selection(type: GraphQLOutputType, depth = 2): string {
  const named = getNamedType(type);
  if (isLeafType(named) || !isObjectType(named)) return '';
  const parts: string[] = [];
  for (const field of Object.values(named.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const inner = getNamedType(field.type);
    if (isLeafType(inner)) parts.push(field.name);
    else if (depth > 0) {
      const sub = selection(field.type, depth - 1);
      if (sub) parts.push(`${field.name} ${sub}`);
    }
  }
  return parts.length ? `{ ${parts.join(' ')} }` : '{ __typename }';
}

/** The operation text and variables for one root field. */
export function operation(kind: OperationKind, field: GraphQLField<unknown, unknown>, ctx: SampleContext) {
  const variables: Record<string, unknown> = {};
  const args = field.args.filter((a) => {
    const needed = isNonNullType(a.type) && a.defaultValue === undefined;
    const value = sample(a.type, a.name, ctx, needed);
    if (value === undefined) return false;
    variables[a.name] = value;
    return true;
  });
  const decl = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const named = getNamedType(field.type);
  // Subscriptions deliver the whole event; other operations show everything two levels down.
  const sel = isObjectType(named) ? ` ${selection(field.type, kind === 'subscription' ? 0 : 2)}` : '';
  return {
    query: `${kind}${decl ? `(${decl})` : ''} { ${field.name}${call ? `(${call})` : ''}${sel} }`,
    variables,
  };
}
