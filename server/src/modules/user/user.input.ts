import { IsEmail, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType()
export class SignInInput {
  @Field()
  @IsEmail({}, { message: 'must be an email address' })
  email!: string;

  @Field()
  @Length(1, 1024, { message: 'must not be empty' })
  password!: string;
}

@InputType()
export class CreateUserInput {
  @Field()
  @IsEmail({}, { message: 'must be an email address' })
  email!: string;

  @Field()
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  displayName!: string;

  @Field({ description: 'At least 12 characters.' })
  @Length(12, 1024, { message: 'must be at least 12 characters' })
  password!: string;

  @Field({ defaultValue: false })
  isPlatformAdmin: boolean = false;
}
