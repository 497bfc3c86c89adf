/** Asks again every 100 ms until `fn` answers something truthy (page scripts may be off, so this polls from Node). */
export async function until<T>(
  what: string,
  fn: () => Promise<T | false | null | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
