import { ArrayMaxSize, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { IsOptionalNonNull } from '../../graphql/validate.js';
import { Quota } from '../organization/quota.embeddable.js';
import { SLUG } from '../organization/organization.input.js';
import { FirewallRule, MAX_FIREWALL_RULES } from '../tenancy/firewall-rule.js';

const nameMessage = 'must be 1 to 63 lowercase letters, digits or hyphens, not starting or ending with a hyphen';

@InputType()
export class CreateProjectInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be an organization id' })
  organizationId!: string;

  @Field()
  @Matches(SLUG, { message: nameMessage })
  name!: string;

  @Field({ defaultValue: '' })
  @Length(0, 2000, { message: 'must be at most 2000 characters' })
  description: string = '';

  @Field(() => Quota, { nullable: true })
  @ValidateNested()
  quota?: Quota;

  @Field(() => [FirewallRule], { nullable: true, description: 'Replaces the list of opened ports.' })
  @IsOptionalNonNull()
  @ArrayMaxSize(MAX_FIREWALL_RULES, { message: `must have at most ${MAX_FIREWALL_RULES} rules` })
  @ValidateNested({ each: true })
  firewallRules?: FirewallRule[];
}

@InputType()
export class UpdateProjectInput {
  @Field({ nullable: true })
  @IsOptionalNonNull()
  @Matches(SLUG, { message: nameMessage })
  name?: string;

  @Field({ nullable: true })
  @IsOptionalNonNull()
  @Length(0, 2000, { message: 'must be at most 2000 characters' })
  description?: string;

  @Field(() => Quota, { nullable: true })
  @ValidateNested()
  quota?: Quota;

  @Field(() => [FirewallRule], { nullable: true, description: 'Replaces the list of opened ports.' })
  @IsOptionalNonNull()
  @ArrayMaxSize(MAX_FIREWALL_RULES, { message: `must have at most ${MAX_FIREWALL_RULES} rules` })
  @ValidateNested({ each: true })
  firewallRules?: FirewallRule[];
}
