/** `String.trim()`: strips every char <= U+0020 at both ends (not Unicode spaces such as U+00A0 or a BOM). */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}
