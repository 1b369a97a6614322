import { IsEmail, IsInt, IsUUID, Length, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { Role } from '../membership/membership.entity.js';

@InputType()
export class CreateInvitationInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be an organization id' })
  organizationId!: string;

  @Field({ description: 'Who is invited; the account created from the invitation gets this email.' })
  @IsEmail({}, { message: 'must be an email address' })
  email!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => Int, { defaultValue: 168, description: 'Hours the invitation stays valid (1 to 720; default a week).' })
  @IsInt({ message: 'must be a whole number of hours' })
  @Min(1, { message: 'must be at least 1 hour' })
  @Max(720, { message: 'must be at most 720 hours (30 days)' })
  expiresInHours: number = 168;
}

@InputType()
export class AcceptInvitationInput {
  @Field({ description: 'The token from the invitation link.' })
  @Length(1, 200, { message: 'must not be empty' })
  token!: string;

  @Field({ nullable: true, description: 'Display name of the new account (not needed when signed in).' })
  name?: string;

  @Field({ nullable: true, description: 'Password of the new account (not needed when signed in).' })
  password?: string;
}
