/**
 * The end of a GC message, where HotSpot puts the figures: "… 14M->12M(128M) 7.033ms" (pauses,
 * Shenandoah cleanup), "… 10620M(5%)->8800M(4%)" (ZGC cycle, no duration), "… 0.050s"
 * (generational ZGC collections). Read right to left so the words before can be anything.
 */
import { parseDurationMs, trimEnd } from './numbers.js';

export class MessageTail {
  /** NaN when the last token is not a duration. */
  durationMs = Number.NaN;
  /** Range of the heap change token, heapStart -1 when there is none. */
  heapStart = -1;
  heapEnd = -1;
  /** End of the words before the figures, without trailing blanks. */
  wordsEnd = 0;

  read(text: string, start: number, end: number): void {
    end = trimEnd(text, start, end);
    this.heapStart = -1;
    this.heapEnd = -1;
    let tokenStart = lastTokenStart(text, start, end);
    this.durationMs = parseDurationMs(text, tokenStart, end);
    let tokenEnd = end;
    if (!Number.isNaN(this.durationMs)) {
      tokenEnd = trimEnd(text, start, tokenStart);
      tokenStart = lastTokenStart(text, start, tokenEnd);
    }
    const arrow = text.indexOf('->', tokenStart);
    if (arrow >= 0 && arrow < tokenEnd && tokenStart > start) {
      this.heapStart = tokenStart;
      this.heapEnd = tokenEnd;
      this.wordsEnd = trimEnd(text, start, tokenStart);
    } else {
      this.wordsEnd = tokenEnd;
    }
  }
}

function lastTokenStart(text: string, start: number, end: number): number {
  const space = text.lastIndexOf(' ', end - 1);
  return space < start ? start : space + 1;
}
