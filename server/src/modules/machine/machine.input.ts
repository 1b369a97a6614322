import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { MachineKind } from '../template/template.entity.js';
import { MachineStatus } from './machine.entity.js';

export const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const hostnameMessage = 'must be a hostname: 1 to 63 lowercase letters, digits or hyphens';
const TAG = /^[a-z0-9][a-z0-9_.+-]{0,62}$/;

@InputType()
export class CreateMachineInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a project id' })
  projectId!: string;

  @Field()
  @Matches(HOSTNAME, { message: hostnameMessage })
  name!: string;

  @Field(() => ID)
  @IsUUID('all', { message: 'must be a template id' })
  templateId!: string;

  @Field(() => Int, { nullable: true, description: "Defaults to the template's." })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'must be at least 1' })
  @Max(128, { message: 'must be at most 128' })
  cores?: number;

  @Field(() => Int, { nullable: true, description: "MiB; defaults to the template's." })
  @IsOptional()
  @IsInt()
  @Min(64, { message: 'must be at least 64 MiB' })
  @Max(4 * 1024 * 1024, { message: 'must be at most 4 TiB' })
  memoryMiB?: number;

  @Field(() => Int, { nullable: true, description: "GiB; defaults to the template's." })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'must be at least 1 GiB' })
  @Max(65536, { message: 'must be at most 64 TiB' })
  diskGiB?: number;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a network configuration id' })
  networkId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a storage configuration id' })
  storageId?: string;

  @Field(() => [String])
  @ArrayMaxSize(20, { message: 'must have at most 20 tags' })
  @Matches(TAG, { each: true, message: 'each tag must be lowercase letters, digits or _.+- (max 63)' })
  tags: string[] = [];
}

@InputType()
export class UpdateMachineInput {
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20, { message: 'must have at most 20 tags' })
  @Matches(TAG, { each: true, message: 'each tag must be lowercase letters, digits or _.+- (max 63)' })
  tags?: string[];
}

@InputType()
export class MachineFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a project id' })
  projectId?: string;

  @Field(() => [MachineStatus], { nullable: true })
  status?: MachineStatus[];

  @Field(() => MachineKind, { nullable: true })
  kind?: MachineKind;

  @Field({ nullable: true, description: 'Case-insensitive substring of the name.' })
  @IsOptional()
  @Matches(/^[\w.-]{1,63}$/, { message: 'must be 1 to 63 letters, digits, dots, dashes or underscores' })
  nameContains?: string;

  @Field({ nullable: true, description: 'Machines carrying this tag.' })
  tag?: string;
}

export enum MachineSortField {
  CREATED_AT = 'createdAt',
  NAME = 'name',
  STATUS = 'status',
  CORES = 'cores',
  MEMORY = 'memoryMiB',
}
registerEnumType(MachineSortField, { name: 'MachineSortField' });

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

@InputType()
export class MachineOrder {
  @Field(() => MachineSortField, { defaultValue: MachineSortField.CREATED_AT })
  @IsIn(Object.values(MachineSortField))
  field: MachineSortField = MachineSortField.CREATED_AT;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction: SortDirection = SortDirection.ASC;
}
