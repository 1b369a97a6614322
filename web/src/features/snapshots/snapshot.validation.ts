/** The API's rule for snapshot names (CreateSnapshotInput.name), checked before sending. */
export function snapshotNameProblem(name: string): string | null {
  if (name.length === 0) return 'Enter a name for the snapshot.';
  if (name.length < 2 || name.length > 40) return 'Use 2 to 40 characters.';
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) return 'Start with a letter; then use only letters, digits, _ or -.';
  if (name === 'current') return '"current" is the name Proxmox gives the live state; choose another name.';
  return null;
}

export interface ResizeValues {
  cores: number;
  memoryMiB: number;
  diskGiB: number;
}

/** Problems per field of a resize, against the machine's current size; empty when it may be sent. */
export function resizeProblems(current: ResizeValues, next: ResizeValues): Partial<Record<keyof ResizeValues, string>> {
  const problems: Partial<Record<keyof ResizeValues, string>> = {};
  if (!Number.isInteger(next.cores) || next.cores < 1 || next.cores > 128) problems.cores = 'Choose 1 to 128 cores.';
  if (!Number.isInteger(next.memoryMiB) || next.memoryMiB < 64 || next.memoryMiB > 4 * 1024 * 1024)
    problems.memoryMiB = 'Choose 64 MiB to 4 TiB of memory.';
  if (!Number.isInteger(next.diskGiB) || next.diskGiB < current.diskGiB)
    problems.diskGiB = `Disks only grow: choose at least ${current.diskGiB} GiB (the current size).`;
  return problems;
}
