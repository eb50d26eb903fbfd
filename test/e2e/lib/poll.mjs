// Waiting without fixed sleeps: poll a condition until it holds or a deadline passes.

/**
 * Calls `probe` every `interval` ms until it returns a truthy value, which is returned. Past
 * `timeout` ms it throws, naming `what` and the last value seen (or the last error thrown).
 */
export async function until(probe, { timeout = 30_000, interval = 150, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (last) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const seen = lastError ? `last error: ${lastError.message}` : `last value: ${JSON.stringify(last)}`;
      throw new Error(`Timed out after ${timeout} ms waiting for ${what} (${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
