// What a project opens in its guests' firewalls: inbound is dropped except these rules. Stored as
// JSON on the project; applied to each guest as it is provisioned (see tenancy.service.ts).
import { isIP } from 'node:net';
import { IsInt, IsOptional, Max, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum FirewallProtocol {
  TCP = 'TCP',
  UDP = 'UDP',
}
registerEnumType(FirewallProtocol, { name: 'FirewallProtocol' });

/** An IPv4 or IPv6 address, or a network in CIDR notation (the prefix in range for its family). */
export function isCidr(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

const IsCidr = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isCidr', validator: { validate: (v) => isCidr(v) } }, options);

@ObjectType('FirewallRule', { description: 'Inbound traffic the project lets through to its machines.' })
@InputType('FirewallRuleInput')
export class FirewallRule {
  @Field(() => FirewallProtocol)
  protocol!: FirewallProtocol;

  @Field(() => Int, { description: 'Destination port, 1 to 65535.' })
  @IsInt({ message: 'must be a port from 1 to 65535' })
  @Min(1, { message: 'must be a port from 1 to 65535' })
  @Max(65535, { message: 'must be a port from 1 to 65535' })
  port!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Source address or CIDR (IPv4 or IPv6), e.g. 203.0.113.0/24; null for any source.',
  })
  @IsOptional()
  @IsCidr({ message: 'must be an IPv4 or IPv6 address or CIDR such as 203.0.113.0/24' })
  source?: string | null;
}

/** At most this many rules per project: each becomes a firewall rule on every guest. */
export const MAX_FIREWALL_RULES = 50;
