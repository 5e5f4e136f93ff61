import type { PositionRange } from "../parser/ast";
import { positionPrefix } from "../parser/errors";

export type AnnotationKind = "warning" | "info";

/**
 * Warnings and infos collected while evaluating one query, rendered as Prometheus renders them:
 * `PromQL warning: <text> (<line>:<col>)`. Duplicates are kept once.
 */
export class Annotations {
  readonly #items = new Map<string, AnnotationKind>();

  constructor(private readonly query: string) {}

  add(kind: AnnotationKind, text: string, pos: PositionRange | null): void {
    const where = pos ? ` (${positionPrefix(this.query, pos.start).slice(0, -1)})` : "";
    const label = kind === "warning" ? "PromQL warning" : "PromQL info";
    this.#items.set(`${label}: ${text}${where}`, kind);
  }

  warn(text: string, pos: PositionRange | null): void {
    this.add("warning", text, pos);
  }

  info(text: string, pos: PositionRange | null): void {
    this.add("info", text, pos);
  }

  get warnings(): string[] {
    return [...this.#items].filter(([, k]) => k === "warning").map(([t]) => t);
  }

  get infos(): string[] {
    return [...this.#items].filter(([, k]) => k === "info").map(([t]) => t);
  }
}
