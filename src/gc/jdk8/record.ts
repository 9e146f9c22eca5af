/**
 * One JDK 8 record ("[GC … secs]", "[Full GC …]", "[CMS-concurrent-mark: …]") as a tree of its
 * brackets. A record can span several lines (tenuring distribution, ergonomics, heap-at-GC blocks
 * and FLS statistics are printed in the middle of it); the parser leaves those lines out and
 * appends the record's own pieces here until the root bracket closes.
 *
 * Nodes live in reused typed arrays, so a record costs no allocation beyond its text.
 */

/** Longest record kept: far beyond any real one, small enough to bound memory on garbage. */
export const MAX_RECORD_CHARS = 64 * 1024;

const MAX_PIECES = 256;

export class RecordTree {
  /** The record's text: its first line, then each continuation piece appended. */
  text = '';
  /** Index of the root '[' in `text`. */
  start = 0;
  /** Nodes so far; node 0 is the root. */
  count = 0;
  /** Index of the root's closing ']' once complete, else -1. */
  end = -1;
  /** 1-based input line of each piece, and where it starts in `text`. */
  private readonly pieceLines = new Float64Array(MAX_PIECES);
  private readonly pieceStarts = new Int32Array(MAX_PIECES);
  private pieces = 0;

  private open: Int32Array = new Int32Array(64);
  private close: Int32Array = new Int32Array(64);
  private firstChildOf: Int32Array = new Int32Array(64);
  private nextSiblingOf: Int32Array = new Int32Array(64);
  private lastChildOf: Int32Array = new Int32Array(64);
  private stack: Int32Array = new Int32Array(64);
  private depth = 0;

  /** Starts a record whose root '[' is at `start` of `line`; returns the root's closing index or -1. */
  begin(line: string, start: number, lineNumber: number): number {
    this.text = line;
    this.start = start;
    this.count = 0;
    this.depth = 0;
    this.end = -1;
    this.pieceLines[0] = lineNumber;
    this.pieceStarts[0] = 0;
    this.pieces = 1;
    return this.scan(line, 0, start);
  }

  /** Appends a continuation piece; returns the index in `piece` where the root closed, or -1. */
  append(piece: string, lineNumber: number): number {
    const offset = this.text.length;
    this.text += piece;
    if (this.pieces < MAX_PIECES) {
      this.pieceLines[this.pieces] = lineNumber;
      this.pieceStarts[this.pieces++] = offset;
    }
    // Scanning the piece, not the joined text, keeps a long record from being copied once per line.
    const closed = this.scan(piece, offset, 0);
    return closed < 0 ? -1 : closed - offset;
  }

  get length(): number {
    return this.text.length;
  }

  /** Input line of the piece that holds `offset`. */
  lineAt(offset: number): number {
    let i = this.pieces - 1;
    while (i > 0 && this.pieceStarts[i]! > offset) i--;
    return this.pieceLines[i]!;
  }

  /** The first line of the record, as read. */
  firstLine(): string {
    const next = this.pieces > 1 ? this.pieceStarts[1]! : this.text.length;
    return this.text.slice(0, next);
  }

  openAt(node: number): number {
    return this.open[node]!;
  }

  /** Closing ']' of a node, or the end of the text for one a truncated record left open. */
  closeAt(node: number): number {
    const c = this.close[node]!;
    return c < 0 ? this.text.length : c;
  }

  firstChild(node: number): number {
    return this.firstChildOf[node]!;
  }

  nextSibling(node: number): number {
    return this.nextSiblingOf[node]!;
  }

  /** Whether the text right after the node's '[' starts with `prefix`. */
  nameStartsWith(node: number, prefix: string): boolean {
    return this.text.startsWith(prefix, this.open[node]! + 1);
  }

  /** The node's own text: everything between its brackets except its children. */
  own(node: number): string {
    const from = this.open[node]! + 1;
    const to = this.closeAt(node);
    let child = this.firstChildOf[node]!;
    if (child < 0) return this.text.slice(from, to);
    let out = '';
    let at = from;
    for (; child >= 0; child = this.nextSiblingOf[child]!) {
      out += this.text.slice(at, this.open[child]!);
      at = this.closeAt(child) + 1;
    }
    return out + this.text.slice(Math.min(at, to), to);
  }

  /**
   * Brackets of source[from…], which stands at `offset` of the record's text, until the root
   * closes; returns that index in the text, or -1.
   */
  private scan(source: string, offset: number, from: number): number {
    let openIdx = source.indexOf('[', from);
    let closeIdx = source.indexOf(']', from);
    for (;;) {
      if (openIdx >= 0 && (closeIdx < 0 || openIdx < closeIdx)) {
        this.push(openIdx + offset);
        openIdx = source.indexOf('[', openIdx + 1);
      } else if (closeIdx >= 0) {
        if (this.depth > 0) {
          const node = this.stack[--this.depth]!;
          this.close[node] = closeIdx + offset;
          if (this.depth === 0) {
            this.end = closeIdx + offset;
            return this.end;
          }
        }
        closeIdx = source.indexOf(']', closeIdx + 1);
      } else {
        return -1;
      }
    }
  }

  private push(at: number): void {
    if (this.count === this.open.length) this.grow();
    const node = this.count++;
    this.open[node] = at;
    this.close[node] = -1;
    this.firstChildOf[node] = -1;
    this.nextSiblingOf[node] = -1;
    this.lastChildOf[node] = -1;
    if (this.depth > 0) {
      const parent = this.stack[this.depth - 1]!;
      const last = this.lastChildOf[parent]!;
      if (last < 0) this.firstChildOf[parent] = node;
      else this.nextSiblingOf[last] = node;
      this.lastChildOf[parent] = node;
    }
    if (this.depth === this.stack.length) {
      const bigger = new Int32Array(this.stack.length * 2);
      bigger.set(this.stack);
      this.stack = bigger;
    }
    this.stack[this.depth++] = node;
  }

  private grow(): void {
    const size = this.open.length * 2;
    const widen = (a: Int32Array): Int32Array => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.open = widen(this.open);
    this.close = widen(this.close);
    this.firstChildOf = widen(this.firstChildOf);
    this.nextSiblingOf = widen(this.nextSiblingOf);
    this.lastChildOf = widen(this.lastChildOf);
  }
}
