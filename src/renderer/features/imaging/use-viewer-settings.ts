import { useEffect, useState } from 'react';
import type { ModalityLayout } from '../../../shared/config/imaging.ts';
import { useApi } from '../../api/api-context.tsx';

export interface ViewerSettings {
  /** Absent when main could not say: the panel then uses the built-in defaults. */
  defaultLayouts?: Readonly<Record<string, ModalityLayout>>;
}

type Api = ReturnType<typeof useApi>;

/** Asked once per API (the configuration does not change while the app runs). */
const asked = new WeakMap<Api, Promise<ViewerSettings>>();

function settingsOf(api: Api): Promise<ViewerSettings> {
  let p = asked.get(api);
  if (!p) {
    p = api.viewerSettings({}).then(
      (res): ViewerSettings => ({ defaultLayouts: res.defaultLayouts }),
      (error: unknown): ViewerSettings => {
        console.warn('huizhen: viewerSettings failed, using the default layouts', error);
        asked.delete(api);
        return {};
      },
    );
    asked.set(api, p);
  }
  return p;
}

/** The configured viewer settings, undefined until main has answered (or failed to). */
export function useViewerSettings(): ViewerSettings | undefined {
  const api = useApi();
  const [loaded, setLoaded] = useState<{ api: Api; settings: ViewerSettings }>();
  useEffect(() => {
    let alive = true;
    settingsOf(api).then((settings) => alive && setLoaded({ api, settings }));
    return () => {
      alive = false;
    };
  }, [api]);
  return loaded?.api === api ? loaded.settings : undefined;
}
