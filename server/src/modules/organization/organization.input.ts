import { Length, Matches, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IsOptionalNonNull } from '../../graphql/validate.js';
import { Quota } from './quota.embeddable.js';

export const SLUG = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const slugMessage = 'must be 1 to 63 lowercase letters, digits or hyphens, not starting or ending with a hyphen';

@InputType()
export class CreateOrganizationInput {
  @Field()
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  name!: string;

  @Field()
  @Matches(SLUG, { message: slugMessage })
  slug!: string;
}

@InputType()
export class UpdateOrganizationInput {
  @Field({ nullable: true })
  @IsOptionalNonNull()
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  name?: string;

  @Field(() => Quota, { nullable: true, description: 'Platform admins only.' })
  @ValidateNested()
  quota?: Quota;
}
