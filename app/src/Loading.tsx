/** A page whose data is not there yet: its title, and either what is being read or why it cannot be. */
export function Loading({ title, reading, error = null }: { title: string; reading: string | null; error?: string | null }) {
  return (
    <section aria-label={title}>
      <h1>{title}</h1>
      {error !== null && <p class="error">{error}</p>}
      {error === null && reading !== null && <p>Reading {reading}…</p>}
    </section>
  );
}
