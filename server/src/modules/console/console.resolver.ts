import { Arg, Ctx, Field, ID, Mutation, ObjectType, Resolver, registerEnumType } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { Machine } from '../machine/machine.entity.js';
import { projectScope } from '../project/project.access.js';
import { CONSOLE_PATH } from './console.gateway.js';
import { ConsoleKind } from './console.session.js';
import { guestOf, requireRunning } from './console.target.js';

registerEnumType(ConsoleKind, {
  name: 'ConsoleKind',
  valuesConfig: {
    VNC: { description: "The guest's screen over RFB (noVNC)." },
    TERMINAL: { description: 'A serial or container terminal (xterm.js, Proxmox termproxy framing).' },
  },
});

@ObjectType('ConsoleSession', { description: 'A one-time ticket for a console WebSocket on this API.' })
export class ConsoleSessionType {
  @Field(() => ConsoleKind)
  kind!: ConsoleKind;

  @Field({
    description:
      'Open a WebSocket to this path on the API host, with the session cookie or a bearer token. Single use.',
  })
  path!: string;

  @Field(() => String, {
    nullable: true,
    description: 'VNC only: the RFB password for VNC Authentication with the proxy.',
  })
  password!: string | null;

  @Field({ description: 'Connect before this instant; afterwards the session is void.' })
  expiresAt!: Date;
}

@Resolver()
export class ConsoleResolver {
  @Mutation(() => ConsoleSessionType, {
    description: 'Opens a console session on a running machine; needs Machine.Console on its project.',
  })
  async openConsole(
    @Arg('machineId', () => ID) machineId: string,
    @Arg('kind', () => ConsoleKind) kind: ConsoleKind,
    @Ctx() ctx: Context,
  ): Promise<ConsoleSessionType> {
    const viewer = requireViewer(ctx);
    const machine = await ctx.em.findOne(Machine, { id: machineId }, { populate: ['project', 'node'] });
    if (!machine || !viewer.can(Privilege.MachineAudit, projectScope(machine.project)))
      throw Errors.notFound('Machine', machineId);
    viewer.require(Privilege.MachineConsole, projectScope(machine.project), 'this project');
    const guest = guestOf(machine);
    const consoles = ctx.services.consoles;
    await requireRunning(await consoles.clusters.get(machine.cluster!.id), guest, machine.name);
    const session = consoles.sessions.create(viewer.id, machine.id, kind);
    return { kind, path: `${CONSOLE_PATH}${session.id}`, password: session.vncPassword, expiresAt: session.expiresAt };
  }
}
