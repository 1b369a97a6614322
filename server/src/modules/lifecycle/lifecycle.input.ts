import { IsInt, IsOptional, IsUUID, Length, Matches, Max, MaxLength, Min, NotEquals } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { HOSTNAME } from '../machine/machine.input.js';

/** Proxmox's `pve-configid` (a letter, then letters, digits, `_` or `-`), at most 40 characters. */
export const SNAPSHOT_NAME = /^[A-Za-z][A-Za-z0-9_-]{1,39}$/;

@InputType({ description: 'A machine and an optional idempotency key: the input of every power operation.' })
export class MachineJobInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a machine id' })
  id!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Same key and parameters: the same job back. Same key, other parameters: CONFLICT.',
  })
  @IsOptional()
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  idempotencyKey?: string;
}

@InputType()
export class ShutdownMachineInput extends MachineJobInput {
  @Field(() => Int, { defaultValue: 60, description: 'Seconds the guest gets to shut down.' })
  @IsInt()
  @Min(1, { message: 'must be at least 1 second' })
  @Max(3600, { message: 'must be at most 3600 seconds' })
  timeoutSeconds: number = 60;

  @Field({ defaultValue: true, description: 'Stop the guest hard when it has not shut down within the timeout.' })
  forceStopAfter: boolean = true;
}

@InputType({ description: 'New sizes; omitted ones stay. Disks only grow.' })
export class ResizeMachineInput extends MachineJobInput {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'must be at least 1' })
  @Max(128, { message: 'must be at most 128' })
  cores?: number;

  @Field(() => Int, { nullable: true, description: 'MiB' })
  @IsOptional()
  @IsInt()
  @Min(64, { message: 'must be at least 64 MiB' })
  @Max(4 * 1024 * 1024, { message: 'must be at most 4 TiB' })
  memoryMiB?: number;

  @Field(() => Int, { nullable: true, description: 'GiB; at least the current size (Proxmox cannot shrink disks).' })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'must be at least 1 GiB' })
  @Max(65536, { message: 'must be at most 64 TiB' })
  diskGiB?: number;
}

@InputType()
export class SnapshotInput extends MachineJobInput {
  @Field({ description: 'A letter, then letters, digits, _ or -; 2 to 40 characters; not "current".' })
  @Matches(SNAPSHOT_NAME, {
    message: 'must start with a letter and hold 2 to 40 letters, digits, _ or - (a Proxmox snapshot name)',
  })
  @NotEquals('current', { message: '"current" is reserved by Proxmox' })
  name!: string;
}

@InputType()
export class CreateSnapshotInput extends SnapshotInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000, { message: 'must be at most 1000 characters' })
  description?: string;

  @Field({
    defaultValue: false,
    description: "VMs only: also save the running guest's memory, so a rollback resumes it.",
  })
  includeMemory: boolean = false;
}

@InputType()
export class MigrateMachineInput extends MachineJobInput {
  @Field({ description: 'Name of a node of the same cluster, online and not in maintenance.' })
  @Matches(HOSTNAME, { message: 'must be a node name' })
  targetNode!: string;
}
