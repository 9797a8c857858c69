// Schedules are edited in the shop's time zone (what the merchant means by "Friday 9:00"),
// whatever the browser's or the server's zone. Pure: shared by the editor and its tests.

/** Milliseconds to add to UTC to get the wall-clock time in `timeZone` at `utcMs`. */
function zoneOffset(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type == type)?.value ?? 0);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** ISO instant → "YYYY-MM-DDTHH:mm" in `timeZone` (a datetime-local input's value). */
export function toZonedInput(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  return new Date(ms + zoneOffset(ms, timeZone)).toISOString().slice(0, 16);
}

/** "YYYY-MM-DDTHH:mm" meant in `timeZone` → ISO instant ("" when blank or unreadable). */
export function fromZonedInput(local: string, timeZone: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return "";
  const asUtc = Date.parse(`${local}:00Z`);
  let ms = asUtc - zoneOffset(asUtc, timeZone);
  ms = asUtc - zoneOffset(ms, timeZone); // once more across a DST change
  return new Date(ms).toISOString();
}
