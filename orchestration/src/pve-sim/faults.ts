// Fault injection: errors and latency per route, failing or stalling the next tasks of a type.
// Driven through `control` and the HTTP control endpoint (see PROTOCOL.md).
import { createRng, type Rng } from './rng.js';

export interface RouteFault {
  /** HTTP method, or undefined for all. */
  method?: string;
  /** A schema template (`/nodes/{node}/qemu/{vmid}/clone`), a concrete path, or a prefix ending in `*`. */
  path: string;
  /** Probability 0..1 that a matching request fails (default 1 when status is set, else 0). */
  errorRate?: number;
  /** Status of injected failures (default 500). */
  status?: number;
  message?: string;
  /** Real (unscaled) milliseconds added before answering. */
  latencyMs?: number;
}

interface Stall {
  promise: Promise<void>;
  release: () => void;
}

export class Faults {
  private routes: (RouteFault & { id: number })[] = [];
  private nextId = 1;
  private readonly failures = new Map<string, string[]>();
  private readonly warnings = new Map<string, string[][]>();
  private readonly stalls = new Map<string, Stall>();
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = createRng(seed ^ 0xfa017);
  }

  addRoute(fault: RouteFault): number {
    const id = this.nextId++;
    this.routes.push({ ...fault, id });
    return id;
  }

  removeRoute(id: number) {
    this.routes = this.routes.filter((r) => r.id !== id);
  }

  listRoutes(): RouteFault[] {
    return this.routes.map((r) => ({ ...r }));
  }

  /** Latency to add and an error to answer with, if any, for this request. */
  forRequest(
    method: string,
    template: string,
    path: string,
  ): { latencyMs: number; error?: { status: number; message: string } } {
    let latencyMs = 0;
    let error: { status: number; message: string } | undefined;
    for (const f of this.routes) {
      if (f.method && f.method.toUpperCase() !== method) continue;
      const match =
        f.path === template || f.path === path || (f.path.endsWith('*') && path.startsWith(f.path.slice(0, -1)));
      if (!match) continue;
      latencyMs += f.latencyMs ?? 0;
      const rate = f.errorRate ?? (f.status !== undefined || f.message !== undefined ? 1 : 0);
      if (!error && rate > 0 && this.rng() < rate) {
        error = { status: f.status ?? 500, message: f.message ?? 'simulated failure (fault injection)' };
      }
    }
    return { latencyMs, ...(error ? { error } : {}) };
  }

  failNextTask(type: string, message = 'simulated task failure (fault injection)', count = 1) {
    const list = this.failures.get(type) ?? [];
    for (let i = 0; i < count; i++) list.push(message);
    this.failures.set(type, list);
  }

  /** The next task of this type logs these warnings and ends with `WARNINGS: n`. */
  warnNextTask(type: string, lines: string[]) {
    const list = this.warnings.get(type) ?? [];
    list.push(lines);
    this.warnings.set(type, list);
  }

  takeWarnings(type: string): string[] | undefined {
    return (this.warnings.get(type) ?? this.warnings.get('*'))?.shift();
  }

  takeFailure(type: string): string | undefined {
    const list = this.failures.get(type) ?? this.failures.get('*');
    return list?.shift();
  }

  /** Tasks of this type (or '*') hang at their checkpoint until released. */
  stallTasks(type: string) {
    if (this.stalls.has(type)) return;
    let release = () => undefined as void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.stalls.set(type, { promise, release });
  }

  releaseStalled(type?: string) {
    for (const [key, s] of this.stalls) {
      if (type === undefined || key === type) {
        s.release();
        this.stalls.delete(key);
      }
    }
  }

  stall(type: string): Promise<void> | undefined {
    return (this.stalls.get(type) ?? this.stalls.get('*'))?.promise;
  }

  reset() {
    this.routes = [];
    this.failures.clear();
    this.warnings.clear();
    this.releaseStalled();
  }
}
