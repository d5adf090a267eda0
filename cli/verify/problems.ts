/**
 * What verify found, in two classes: integrity problems (exit 4: something in the package is not what the
 * digest chain, the signatures or the recomputation prove) and gap-class problems (exit 3: a day not sealed
 * yet, a run written late). Each line is kept once, in the order found.
 */
export class Problems {
  private readonly lines = new Map<string, 'integrity' | 'gap'>();

  integrity(line: string): void {
    this.lines.set(line, 'integrity');
  }

  gap(line: string): void {
    if (!this.lines.has(line)) this.lines.set(line, 'gap');
  }

  /** Whether a problem was already said of `path` (a line starting with it). */
  mentions(path: string): boolean {
    return [...this.lines.keys()].some((l) => l.startsWith(`${path}: `));
  }

  get all(): string[] {
    return [...this.lines.keys()];
  }

  count(kind: 'integrity' | 'gap'): number {
    return [...this.lines.values()].filter((k) => k === kind).length;
  }
}
