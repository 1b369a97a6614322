// Records every mutation sent over HTTP, once its response is known: one audit row per root field
// (aliases included), with the caller, the organization when an argument names it, the target ids
// found in the arguments (secrets redacted), the address, the user agent and the outcome. signIn and
// signOut are the security events `auth.signIn` / `auth.signOut`. Mutations never run over
// graphql-ws (security/query-limits refuses them), so this is every mutation.
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { Kind, getArgumentValues, type FieldNode, type GraphQLFormattedError } from 'graphql';
import type { Context } from '../../graphql/context.js';
import type { Logger } from '../../logger.js';
import { User } from '../user/user.entity.js';
import { appendAudit, isSecretName, redact, type AuditEntry, type AuditResult } from './audit.service.js';

interface PlannedField {
  name: string;
  responseKey: string;
  args: Record<string, unknown>;
}

const DENIED_CODES = new Set(['FORBIDDEN', 'UNAUTHENTICATED', 'RATE_LIMITED']);

export function auditAction(field: string): string {
  if (field === 'signIn') return 'auth.signIn';
  if (field === 'signOut') return 'auth.signOut';
  return `mutation.${field}`;
}

/** `createMachine` → `machine`, `setUserDisabled` → `userDisabled`. */
function targetTypeOf(field: string): string | null {
  const rest = field.replace(/^[a-z]+/, '');
  return rest ? rest[0]!.toLowerCase() + rest.slice(1) : null;
}

/** String values of `id`, `*Id` and `*Ids` arguments, at any depth of the inputs. */
export function targetIds(
  args: unknown,
  out: { key: string; value: string }[] = [],
  depth = 0,
): { key: string; value: string }[] {
  if (!args || typeof args !== 'object' || depth > 4) return out;
  for (const [key, value] of Object.entries(args as Record<string, unknown>)) {
    if (isSecretName(key)) continue;
    const idKey = key === 'id' || /Ids?$/.test(key);
    if (idKey && typeof value === 'string') {
      out.push({ key, value });
    } else if (idKey && Array.isArray(value)) {
      for (const v of value) if (typeof v === 'string') out.push({ key, value: v });
    } else if (value && typeof value === 'object') {
      targetIds(value, out, depth + 1);
    }
  }
  return out;
}

function outcome(
  field: PlannedField,
  errors: readonly GraphQLFormattedError[],
): { result: AuditResult; codes: string[] } {
  const mine = errors.filter((e) => !e.path || e.path[0] === field.responseKey);
  if (!mine.length) return { result: 'success', codes: [] };
  const codes = [...new Set(mine.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))];
  // A wrong password is a failed sign-in, not a refusal of a known caller.
  const denied = codes.some((c) => DENIED_CODES.has(c) && !(field.name === 'signIn' && c === 'UNAUTHENTICATED'));
  return { result: denied ? 'denied' : 'failure', codes };
}

function plan(rc: GraphQLRequestContext<Context>): PlannedField[] {
  const op = rc.operation;
  const mutationType = rc.schema.getMutationType();
  if (!op || op.operation !== 'mutation' || !mutationType) return [];
  const defs = mutationType.getFields();
  const variables = rc.request.variables ?? {};
  return op.selectionSet.selections
    .filter((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value !== '__typename')
    .map((node) => {
      let args: Record<string, unknown> = {};
      const def = defs[node.name.value];
      try {
        if (def) args = getArgumentValues(def, node, variables);
      } catch {
        // Invalid arguments: the response says so; record what was sent, redacted.
        args = { variables };
      }
      return { name: node.name.value, responseKey: node.alias?.value ?? node.name.value, args };
    });
}

export function auditPlugin(log: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let planned: PlannedField[] = [];
      return {
        async didResolveOperation(rc) {
          planned = plan(rc);
        },
        async willSendResponse(rc) {
          if (!planned.length) return;
          const ctx = rc.contextValue;
          const body = rc.response.body;
          const errors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          const data =
            body.kind === 'single' ? (body.singleResult.data as Record<string, unknown> | null | undefined) : null;
          const entries: AuditEntry[] = [];
          for (const field of planned) {
            const { result, codes } = outcome(field, errors);
            const ids = targetIds(field.args);
            let actorId = ctx.viewer?.id ?? null;
            const email = (field.args.input as { email?: unknown } | undefined)?.email;
            if (field.name === 'signIn' && result === 'success' && typeof email === 'string') {
              const user = await ctx.em.fork().findOne(User, { email: email.toLowerCase() }, { fields: ['id'] });
              actorId = user?.id ?? actorId;
            }
            const orgId =
              ids.find((i) => i.key === 'organizationId')?.value ??
              (/Organization$/.test(field.name) ? ids.find((i) => i.key === 'id')?.value : undefined) ??
              (field.name === 'createOrganization'
                ? (data?.[field.responseKey] as { id?: string } | null)?.id
                : undefined);
            entries.push({
              action: auditAction(field.name),
              result,
              actorId,
              organizationId: orgId ?? null,
              targetType: field.name === 'signIn' || field.name === 'signOut' ? 'user' : targetTypeOf(field.name),
              targetId:
                ids.find((i) => i.key === 'id')?.value ??
                ids[0]?.value ??
                (field.name === 'signIn' ? actorId : null) ??
                ((data?.[field.responseKey] as { id?: unknown } | null)?.id as string | undefined) ??
                null,
              ip: ctx.req?.ip ?? ctx.req?.socket.remoteAddress ?? null,
              userAgent: ctx.req?.headers['user-agent'] ?? null,
              details: {
                operationName: rc.operationName ?? null,
                field: field.name,
                ...(field.responseKey !== field.name ? { alias: field.responseKey } : {}),
                args: redact(field.args),
                ...(ids.length ? { targetIds: ids.map((i) => i.value) } : {}),
                ...(codes.length ? { errorCodes: codes } : {}),
              },
            });
          }
          try {
            await appendAudit(ctx.em, entries);
          } catch (err) {
            log.error({ err, actions: entries.map((e) => e.action) }, 'could not append to the audit log');
          }
        },
      };
    },
  };
}
