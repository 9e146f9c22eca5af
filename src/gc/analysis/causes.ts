/**
 * What a Full GC's cause says about it. Some collections are asked for (by the application's
 * System.gc(), an operator's jcmd or jmap, a JVMTI agent) and are no sign of the collector falling
 * behind; logs of JDK 7 and older name no cause, but their "[Perm : …]" figures show when the
 * permanent generation filled up.
 */
import type { PauseEvent } from '../events.js';

/** Causes of collections someone asked for (HotSpot's GCCause wording, JDK 6–24). */
const REQUESTED_CAUSES: ReadonlySet<string> = new Set([
  'System.gc()',
  // JDK 6/7: "[Full GC (System) …]"
  'System',
  // jcmd <pid> GC.run
  'Diagnostic Command',
  // jmap -dump:live, jcmd GC.heap_dump
  'Heap Dump Initiated GC',
  // jmap -histo:live, jcmd GC.class_histogram
  'Heap Inspection Initiated GC',
  'JvmtiEnv ForceGarbageCollection',
  'WhiteBox Initiated Full GC',
]);

export const isRequestedCause = (cause: string): boolean => REQUESTED_CAUSES.has(cause);
/** The application's own System.gc() calls. */
export const isSystemGcCause = (cause: string): boolean => cause === 'System.gc()' || cause === 'System';

/** HotSpot's own wording for this cause (JDK 7 with -XX:+PrintGCCause). */
export const PERM_GEN_FULL = 'Permanent Generation Full';
const NEARLY_FULL = 0.98;
const OLD_FULL = 0.95;

/**
 * The cause of a Full GC: the one the log names, else the permanent generation when the record
 * shows it at its capacity (JDK 7 and older: "[Perm : 16379K->16379K(16384K)]") while the old
 * generation had room, else "unknown".
 */
export function fullGcCause(event: PauseEvent): string {
  if (event.cause !== undefined) return event.cause;
  const perm = event.regions?.['perm'];
  if (perm?.capacityBytes !== undefined && Math.max(perm.beforeBytes, perm.afterBytes) >= NEARLY_FULL * perm.capacityBytes) {
    const old = event.regions?.['old'];
    if (old?.capacityBytes === undefined || old.beforeBytes < OLD_FULL * old.capacityBytes) return PERM_GEN_FULL;
  }
  return 'unknown';
}
