// The GraphQL shapes of a cluster's GPU inventory: plain data read live from Proxmox.
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description: 'A guest whose configuration passes a GPU through (a hostpciN entry).',
  simpleResolvers: true,
})
export class GpuGuest {
  @Field(() => Int)
  vmid!: number;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field({ description: 'running or stopped: only a running guest holds the device.' })
  status!: string;

  @Field({ description: 'How the guest refers to the device: its PCI address, or "mapping <id>".' })
  via!: string;
}

@ObjectType({ description: 'A display controller (PCI class 03) on a Proxmox node.', simpleResolvers: true })
export class GpuDevice {
  @Field()
  node!: string;

  @Field({ description: 'PCI address, e.g. 0000:41:00.0.' })
  pciId!: string;

  @Field({ description: 'vendor:device, e.g. 10de:27b8 (what a PCI mapping records).' })
  deviceId!: string;

  @Field(() => String, { nullable: true })
  vendorName!: string | null;

  @Field(() => String, { nullable: true })
  deviceName!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Null when the device has no IOMMU group (cannot be passed through).',
  })
  iommuGroup!: number | null;

  @Field({ description: 'Whether the device offers mediated devices (vGPU).' })
  mediated!: boolean;

  @Field(() => [String], { description: 'The cluster PCI mappings that include this device on this node.' })
  mappings!: string[];

  @Field(() => [GpuGuest], {
    description:
      'Guests on this node configured with the device, directly or through one of its mappings (a mapping guest may hold any device of the mapping).',
  })
  guests!: GpuGuest[];
}

@ObjectType({ simpleResolvers: true })
export class GpuInventory {
  @Field(() => [GpuDevice])
  devices!: GpuDevice[];

  @Field(() => [String], { description: 'Online nodes whose devices could not be read, with the reason.' })
  unreadableNodes!: string[];
}
