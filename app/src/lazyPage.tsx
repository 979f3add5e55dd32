import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

/** A component whose code is fetched the first time it renders (a separate chunk in the build). */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loading: Promise<ComponentType<P>> | null = null;
  let loaded: ComponentType<P> | null = null;
  return function LazyPage(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
      if (component !== null) return;
      loading ??= load().then((c) => (loaded = c));
      loading.then(
        (c) => setComponent(() => c),
        (e: Error) => {
          loading = null;
          setError(`This page could not be loaded (${e.message}); reload to try again.`);
        },
      );
    }, []);
    if (error !== null) return <p class="error" role="alert">{error}</p>;
    if (component === null) return <p>Loading…</p>;
    const Page = component;
    return <Page {...props} />;
  };
}
